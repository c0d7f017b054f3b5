import { Steps } from 'antd';
import type { ConstructionEvidence, Site } from '../../../../../libs/domain/src/attributes';
import { PRODUCTION_SCOPE_LABELS, type ProductionScope } from '../../../../../libs/domain/src/attributes';
import { STAGE_LABELS, STAGE_ORDER } from '../../../../../libs/domain/src/stages';
import type { Detail } from './types';

type Stage = (typeof STAGE_ORDER)[number];

/** The evidence each stage was reached with, as lines under its step (合同编号, 施工许可证 …). */
function evidenceLines(stage: Stage, evidence: Record<string, unknown>): string[] {
  const text = (key: string): string | null => {
    const v = evidence[key];
    return typeof v === 'string' && v !== '' ? v : null;
  };
  const lines: (string | null)[] = [];
  switch (stage) {
    case 'negotiating':
      if (text('leadingOfficial')) lines.push(`牵头领导 ${text('leadingOfficial')}`);
      break;
    case 'signed':
      if (text('contractNumber')) lines.push(`合同编号 ${text('contractNumber')}`);
      if (text('plannedProductionDate')) lines.push(`计划投产 ${text('plannedProductionDate')}`);
      break;
    case 'landed': {
      if (text('companyName')) lines.push(`项目公司 ${text('companyName')}`);
      if (text('creditCode')) lines.push(`信用代码 ${text('creditCode')}`);
      const site = evidence.site as Site | null | undefined;
      if (site?.kind === 'land_parcel') lines.push(`地块 ${site.parcelNumber}`);
      if (site?.kind === 'lease') lines.push(`租赁合同 ${site.leaseContractNumber}`);
      break;
    }
    case 'started': {
      const proof = evidence.constructionEvidence as ConstructionEvidence | null | undefined;
      if (proof?.kind === 'construction_permit') lines.push(`施工许可证 ${proof.permitNumber}`);
      if (proof?.kind === 'other') lines.push(`开工佐证 ${proof.description}`);
      break;
    }
    case 'in_stats':
      if (text('statisticsCode')) lines.push(`统计代码 ${text('statisticsCode')}`);
      break;
    case 'producing': {
      const scope = text('productionScope') as ProductionScope | null;
      if (scope) lines.push(PRODUCTION_SCOPE_LABELS[scope]);
      if (text('fullProductionDate')) lines.push(`全部投产 ${text('fullProductionDate')}`);
      break;
    }
    case 'lead':
      break;
  }
  return lines.filter((l): l is string => l !== null);
}

/** 线索 → 在谈 → 签约 → 落地 → 开工 → 入统 → 投产, each step with its date and evidence. */
export function StageSteps({ project }: { project: Detail }) {
  const dates = project.dates as Record<string, string | null | undefined>;
  const dropped = project.stage.code === 'dropped';
  const current = dropped
    ? Math.max(0, ...STAGE_ORDER.map((s, i) => (dates[s] ? i : 0)))
    : STAGE_ORDER.indexOf(project.stage.code as Stage);
  return (
    <Steps
      current={current}
      status={dropped ? 'error' : 'process'}
      responsive
      size="small"
      // Titles and evidence under the icons: beside them, seven steps leave a line of evidence too little room.
      labelPlacement="vertical"
      data-testid="project-steps"
      items={STAGE_ORDER.map((s) => ({
        title: STAGE_LABELS[s],
        // Credit codes and permit numbers are wider than a step: they break anywhere.
        description: (
          <div data-testid={`step-${s}`} style={{ wordBreak: 'break-all' }}>
            {dates[s] && <div>{dates[s]}</div>}
            {evidenceLines(s, project.evidence).map((line) => (
              <div key={line}>{line}</div>
            ))}
          </div>
        ),
      }))}
    />
  );
}
