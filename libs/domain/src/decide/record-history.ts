import { refused, type Decision, type DecisionInput } from '../decision';
import type { RecordHistoryData } from '../history';
import { refusal } from '../refusals';

export function recordHistory(d: RecordHistoryData, input: DecisionInput): Decision {
  void d;
  void input;
  return refused(refusal('UNKNOWN_COMMAND', 'type'));
}
