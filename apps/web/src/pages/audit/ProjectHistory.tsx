import { Placeholder } from '../Placeholder';

/** A project's events with their chain, and its state at any business date and record instant. */
export function ProjectHistory() {
  return <Placeholder title="项目审计轨迹" />;
}
