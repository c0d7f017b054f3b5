/** The names of the previous stage's date, for the refusal of a date before it. */
export const LEAD_DATE = { zh: '线索登记日期', en: 'the lead date' };
export const TALKS_DATE = { zh: '在谈日期', en: 'the talks date' };
export const SIGNED_DATE = { zh: '签约日期', en: 'the contract date' };
export const LANDED_DATE = { zh: '落地日期', en: 'the landing date' };
export const STARTED_DATE = { zh: '开工日期', en: 'the construction start date' };
export const PRODUCTION_DATE = { zh: '首次投产日期', en: 'the first production date' };

/** The message of a command sent before the stage it needs: "cannot land before signing". */
export function notYet(
  actZh: string,
  actEn: string,
  stageZh: string,
  stageEn: string,
): { zh: string; en: string } {
  return { zh: `不能${actZh}:项目尚未${stageZh}`, en: `cannot ${actEn} before the project has ${stageEn}` };
}
