import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, ValidateBy } from 'class-validator';
import {
  ALL_STAGES,
  LIGHTS,
  REPORT_PERIOD_KINDS,
  reportPeriodProblem,
  shanghaiDate,
  type ReportPeriodKind,
} from '@app/domain';
import { IsRegionCode } from '../common/validators';
import { REGION_PATTERN } from '../common/openapi';

/** The period for its kind; a period of neither form is named whatever the kind says. */
function IsReportPeriod(): PropertyDecorator {
  const problem = (value: unknown, kind: unknown) => {
    const today = shanghaiDate(new Date().toISOString());
    if ((REPORT_PERIOD_KINDS as readonly unknown[]).includes(kind)) {
      return reportPeriodProblem(kind as ReportPeriodKind, value, today);
    }
    // The kind is refused on its own; the period only has to be a week or a month.
    const asWeek = reportPeriodProblem('weekly', value, today);
    const asMonth = reportPeriodProblem('monthly', value, today);
    return asWeek?.rule === 'format' ? asMonth : asWeek;
  };
  return ValidateBy({
    name: 'isReportPeriod',
    validator: {
      validate: (value, args) => problem(value, (args?.object as { kind?: unknown })?.kind) === null,
      defaultMessage: (args) =>
        `$property ${problem(args?.value, (args?.object as { kind?: unknown })?.kind)?.message ?? 'is not valid'}`,
    },
  });
}

/** GET /api/reports/periodic: which form, for which period and region. */
export class PeriodicReportQuery {
  @ApiProperty({ enum: REPORT_PERIOD_KINDS, description: 'weekly 周报 or monthly 月报' })
  @IsIn(REPORT_PERIOD_KINDS)
  kind!: ReportPeriodKind;

  @ApiProperty({
    example: '2026-W48',
    pattern: '^\\d{4}-(W\\d{2}|\\d{2})$',
    description:
      'weekly: an ISO week such as 2026-W48 (Monday to Sunday, Asia/Shanghai); monthly: a month such as 2026-11. It must have begun.',
  })
  @IsReportPeriod()
  period!: string;

  @ApiPropertyOptional({
    example: '420500',
    pattern: REGION_PATTERN,
    description:
      '行政区划代码 within the caller’s regions (a city or province covers its counties); default: every region the caller may read',
  })
  @IsOptional()
  @IsRegionCode()
  region?: string;
}

export class PeriodicProjectView {
  @ApiProperty({ format: 'uuid' }) projectId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: '420502' }) region!: string;
  @ApiProperty() investorName!: string;
  @ApiProperty({ enum: ALL_STAGES }) stage!: string;
  @ApiProperty({ nullable: true, type: String }) serviceOfficerId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'from the people directory' })
  serviceOfficerName!: string | null;
}

export class ProgressEntryView extends PeriodicProjectView {
  @ApiProperty({ example: '2026-11-25', description: 'the business date of the step' }) date!: string;
  @ApiProperty({
    example: '150000000.00',
    description: 'yuan, exact: the contract investment for a signing, else the effective investment',
  })
  amount!: string;
}

export class ProgressGroupView {
  @ApiProperty() count!: number;
  @ApiProperty({ example: '150000000.00', description: 'yuan, exact' }) amount!: string;
  @ApiProperty({ type: [ProgressEntryView] }) items!: ProgressEntryView[];
}

export class PeriodProgressView {
  @ApiProperty({ type: ProgressGroupView, description: '新签约' }) signed!: ProgressGroupView;
  @ApiProperty({ type: ProgressGroupView, description: '新落地' }) landed!: ProgressGroupView;
  @ApiProperty({ type: ProgressGroupView, description: '新开工' }) started!: ProgressGroupView;
  @ApiProperty({ type: ProgressGroupView, description: '新入统' }) inStats!: ProgressGroupView;
  @ApiProperty({ type: ProgressGroupView, description: '新投产' }) producing!: ProgressGroupView;
}

export class PeriodicFundsEntryView extends PeriodicProjectView {
  @ApiProperty({ example: '30000000.00', description: 'yuan, exact; net of adjustments and corrections' })
  amount!: string;
}

export class PeriodFundsView {
  @ApiProperty({ example: '30000000.00', description: 'yuan, exact' }) total!: string;
  @ApiProperty({ type: [PeriodicFundsEntryView] }) items!: PeriodicFundsEntryView[];
}

export class RedLightReasonView {
  @ApiProperty() deadlineId!: string;
  @ApiProperty() rule!: string;
  @ApiProperty({ example: '签约后6个月内开工', description: 'the policy rule’s label' }) ruleLabel!: string;
  @ApiProperty() step!: string;
  @ApiProperty({ example: '2026-06-30' }) dueDate!: string;
  @ApiProperty({ description: '1 service officer … 4 主要领导' }) rung!: number;
  @ApiProperty({ example: '首席服务官', description: 'who the rung is addressed to' }) addressedTo!: string;
  @ApiProperty({ enum: LIGHTS }) light!: string;
}

export class RedLightEntryView extends PeriodicProjectView {
  @ApiProperty({ type: [RedLightReasonView], description: 'the open alerts, most escalated first' })
  reasons!: RedLightReasonView[];
}

export class StaleEntryView extends PeriodicProjectView {
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'the last business date a person recorded anything',
  })
  lastActivityDate!: string | null;
  @ApiProperty({ nullable: true, type: Number }) daysWithoutUpdate!: number | null;
}

export class PeriodicReportView {
  @ApiProperty({ enum: REPORT_PERIOD_KINDS }) kind!: ReportPeriodKind;
  @ApiProperty({ example: '2026-W48' }) period!: string;
  @ApiProperty({ example: '2026年第48周(11月23日—11月29日)' }) label!: string;
  @ApiProperty({ example: '2026-11-23' }) firstDay!: string;
  @ApiProperty({ example: '2026-11-29' }) lastDay!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'the region asked for, or null for all the caller reads',
  })
  region!: string | null;
  @ApiProperty({
    example: '2026-12-01',
    description:
      'today (Asia/Shanghai): the red-light and no-update lists are the projects as they stand now',
  })
  asOf!: string;
  @ApiProperty({ description: 'days without an update that put a project on the no-update list' })
  staleAfterDays!: number;
  @ApiProperty({ type: PeriodProgressView }) progress!: PeriodProgressView;
  @ApiProperty({ type: PeriodFundsView, description: '到位资金 whose business date falls in the period' })
  funds!: PeriodFundsView;
  @ApiProperty({ type: [RedLightEntryView], description: '红灯项目' }) redLights!: RedLightEntryView[];
  @ApiProperty({ type: [StaleEntryView], description: '30日未更新' }) stale!: StaleEntryView[];
}
