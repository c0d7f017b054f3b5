import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import {
  ALL_STAGES,
  LIGHTS,
  TARGET_METRICS,
  type Light,
  type StageCode,
  type TargetMetric,
} from '@app/domain';
import { IsRegionCode } from '../common/validators';

export class DashboardQuery {
  @ApiPropertyOptional({
    example: '420500',
    description: "one of the caller's regions, or a division within them; by default all of them",
  })
  @IsOptional()
  @IsRegionCode()
  region?: string;

  // Checked by the service (a real day, not after today in Asia/Shanghai), answered 422 naming asOf.
  @ApiPropertyOptional({
    example: '2025-06-30',
    description: 'YYYY-MM-DD, not after today; defaults to today in Asia/Shanghai',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  asOf?: string;
}

const FILTER_DOC = {
  example: 'region=420506&light=red',
  description: 'the 台账 filter listing exactly the projects counted: GET /api/projects?… or /projects?…',
};

export class DashboardCount {
  @ApiProperty() count!: number;
  @ApiProperty(FILTER_DOC) filter!: string;
}

export class DashboardStageView extends DashboardCount {
  @ApiProperty({ enum: ALL_STAGES }) stage!: StageCode;
  @ApiProperty({ example: '签约' }) label!: string;
}

export class DashboardLightView extends DashboardCount {
  @ApiProperty({ enum: LIGHTS }) light!: Light;
  @ApiProperty({ example: '红灯' }) label!: string;
  @ApiPropertyOptional({ nullable: true, type: String, example: '12.50', description: 'share, percent' })
  percent!: string | null;
}

export class DashboardProjectView {
  @ApiProperty() projectId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() region!: string;
  @ApiProperty({ enum: ALL_STAGES }) stage!: string;
  @ApiProperty({ enum: LIGHTS }) light!: string;
  @ApiProperty({ example: '1200000000.00', description: 'effective investment, yuan' }) investment!: string;
}

export class DashboardProjectListView {
  @ApiProperty({ description: 'every project the filter lists; items are the first of them' }) total!: number;
  @ApiProperty(FILTER_DOC) filter!: string;
  @ApiProperty({ type: [DashboardProjectView] }) items!: DashboardProjectView[];
}

export class DashboardMetricView {
  @ApiProperty({ enum: TARGET_METRICS.map((m) => m.metric) }) metric!: TargetMetric;
  @ApiProperty({ example: '签约项目数' }) label!: string;
  @ApiProperty({ oneOf: [{ type: 'integer' }, { type: 'string' }] }) target!: number | string;
  @ApiProperty({ oneOf: [{ type: 'integer' }, { type: 'string' }] }) actual!: number | string;
  @ApiPropertyOptional({ nullable: true, type: String }) completionPercent!: string | null;
  @ApiProperty() timeProgressPercent!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) aheadByPoints!: string | null;
  @ApiProperty({ example: '超时序进度 3.21 个百分点' }) assessment!: string;
  @ApiProperty() summary!: string;
  @ApiProperty({
    ...FILTER_DOC,
    description: 'the projects the actual counts (for 到位资金: those with funds recorded in the period)',
  })
  filter!: string;
}

export class DashboardTargetsView {
  @ApiProperty() region!: string;
  @ApiProperty({ type: [DashboardMetricView] }) metrics!: DashboardMetricView[];
}

export class DashboardRankedRegionView {
  @ApiPropertyOptional({ nullable: true, type: Number }) rank!: number | null;
  @ApiProperty() region!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) scorePoints!: string | null;
  @ApiProperty() assessment!: string;
  @ApiProperty(FILTER_DOC) filter!: string;
}

export class DashboardStartRateView {
  @ApiProperty({ description: 'signed in the cohort' }) signed!: DashboardCount;
  @ApiProperty({ description: 'of them, started by asOf' }) started!: DashboardCount;
  @ApiPropertyOptional({ nullable: true, type: String, example: '62.50' }) percent!: string | null;
}

export class DashboardCohortView {
  @ApiProperty({ example: 2025 }) year!: number;
  @ApiProperty({ example: '2025-01-01' }) signedFrom!: string;
  @ApiProperty({ example: '2025-06-30' }) signedTo!: string;
  @ApiProperty() all!: DashboardStartRateView;
  @ApiProperty() industrial!: DashboardStartRateView;
}

export class DashboardFundsMonthView {
  @ApiProperty({ example: '2025-06' }) month!: string;
  @ApiProperty({ example: '1500000.00', description: 'yuan, exact' }) amount!: string;
  @ApiProperty({ description: 'projects with funds recorded in the month' }) projects!: number;
  @ApiProperty(FILTER_DOC) filter!: string;
}

export class DashboardFundsView {
  @ApiProperty() current!: DashboardFundsMonthView;
  @ApiProperty({ description: 'the same month of the year before' }) previous!: DashboardFundsMonthView;
}

export class DashboardView {
  @ApiProperty({
    example: '2025-06-30',
    description:
      'the day the figures are as of: before today, the projects recorded by then, each in the stage it was in and with the light it had at the end of that day',
  })
  asOf!: string;
  @ApiProperty({
    example: '2025-07-15',
    description: "the day the lights are of: asOf (each project's light at the end of that day)",
  })
  lightsOn!: string;
  @ApiProperty({ example: 2025 }) year!: number;
  @ApiPropertyOptional({ nullable: true, type: String }) region!: string | null;
  @ApiProperty({ example: '49.59' }) timeProgressPercent!: string;
  @ApiProperty({ description: 'every project the dashboard covers' }) projects!: DashboardCount;
  @ApiProperty({ type: [DashboardStageView], description: 'projects per stage on asOf, 线索 to 投产' })
  funnel!: DashboardStageView[];
  @ApiProperty({ description: '终止: dropped projects, outside the funnel' }) dropped!: DashboardCount;
  @ApiProperty({ type: [DashboardLightView] }) lights!: DashboardLightView[];
  @ApiProperty() redList!: DashboardProjectListView;
  @ApiProperty({ type: [DashboardTargetsView] }) targets!: DashboardTargetsView[];
  @ApiProperty() rankingRule!: string;
  @ApiProperty({ type: [DashboardRankedRegionView] }) ranking!: DashboardRankedRegionView[];
  @ApiProperty({
    type: [DashboardCohortView],
    description: 'the signing cohorts of the year before and this year',
  })
  cohorts!: DashboardCohortView[];
  @ApiProperty({ type: [DashboardFundsView] }) funds!: DashboardFundsView[];
  @ApiProperty({ description: 'projects of 10 亿元 and more' }) majorProjects!: DashboardProjectListView;
}
