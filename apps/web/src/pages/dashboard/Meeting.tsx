import { Placeholder } from '../Placeholder';

/** 调度会: the projects a meeting should discuss, and the decision recorded on each. */
export function Meeting() {
  return <Placeholder title="调度会" />;
}
