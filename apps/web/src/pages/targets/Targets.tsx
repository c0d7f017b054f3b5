import { Placeholder } from '../Placeholder';

/** Annual targets per region and year, with who changed them, when and why. */
export function Targets() {
  return <Placeholder title="目标任务" />;
}
