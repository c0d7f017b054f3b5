import { Placeholder } from '../Placeholder';

/** 领导驾驶舱: the leader's regions at a glance, every figure a link to the 台账 it counts. */
export function Dashboard() {
  return <Placeholder title="领导驾驶舱" />;
}
