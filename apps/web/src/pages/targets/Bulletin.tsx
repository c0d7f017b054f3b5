import { Placeholder } from '../Placeholder';

/** The monthly bulletin: progress against targets, ranked and worded as published. */
export function Bulletin() {
  return <Placeholder title="月度通报" />;
}
