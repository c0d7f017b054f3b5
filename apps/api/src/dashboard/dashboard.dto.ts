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

export class FilteredCount {
  @ApiProperty() count!: number;
  @ApiProperty(FILTER_DOC) filter!: string;
}

export class FunnelStageView extends FilteredCount {
  @ApiProperty({ enum: ALL_STAGES }) stage!: StageCode;
  @ApiProperty({ example: '签约' }) label!: string;
}

export class LightView extends FilteredCount {
  @ApiProperty({ enum: LIGHTS }) light!: Light;
  @ApiProperty({ example: '红灯' }) label!: string;
  @ApiPropertyOptional({ nullable: true, type: String, example: '12.50', description: 'share, percent' })
  percent!: string | null;
}

export class ListedProjectView {
  @ApiProperty() projectId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() region!: string;
  @ApiProperty({ enum: ALL_STAGES }) stage!: string;
  @ApiProperty({ enum: LIGHTS }) light!: string;
  @ApiProperty({ example: '1200000000.00', description: 'effective investment, yuan' }) investment!: string;
}

export class ProjectListView {
  @ApiProperty({ description: 'every project the filter lists; items are the first of them' }) total!: number;
  @ApiProperty(FILTER_DOC) filter!: string;
  @ApiProperty({ type: [ListedProjectView] }) items!: ListedProjectView[];
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

export class RankedRegionView {
  @ApiPropertyOptional({ nullable: true, type: Number }) rank!: number | null;
  @ApiProperty() region!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) scorePoints!: string | null;
  @ApiProperty() assessment!: string;
  @ApiProperty(FILTER_DOC) filter!: string;
}

export class StartRateView {
  @ApiProperty({ description: 'signed in the cohort' }) signed!: FilteredCount;
  @ApiProperty({ description: 'of them, started by asOf' }) started!: FilteredCount;
  @ApiPropertyOptional({ nullable: true, type: String, example: '62.50' }) percent!: string | null;
}

export class CohortView {
  @ApiProperty({ example: 2025 }) year!: number;
  @ApiProperty({ example: '2025-01-01' }) signedFrom!: string;
  @ApiProperty({ example: '2025-06-30' }) signedTo!: string;
  @ApiProperty() all!: StartRateView;
  @ApiProperty() industrial!: StartRateView;
}

export class FundsMonthView {
  @ApiProperty({ example: '2025-06' }) month!: string;
  @ApiProperty({ example: '1500000.00', description: 'yuan, exact' }) amount!: string;
  @ApiProperty({ description: 'projects with funds recorded in the month' }) projects!: number;
  @ApiProperty(FILTER_DOC) filter!: string;
}

export class FundsComparisonView {
  @ApiProperty() current!: FundsMonthView;
  @ApiProperty({ description: 'the same month of the year before' }) previous!: FundsMonthView;
}

export class DashboardView {
  @ApiProperty({ example: '2025-06-30' }) asOf!: string;
  @ApiProperty({ example: 2025 }) year!: number;
  @ApiPropertyOptional({ nullable: true, type: String }) region!: string | null;
  @ApiProperty({ example: '49.59' }) timeProgressPercent!: string;
  @ApiProperty({ description: 'every project the dashboard covers' }) projects!: FilteredCount;
  @ApiProperty({ type: [FunnelStageView], description: 'projects per stage now, 线索 to 投产' })
  funnel!: FunnelStageView[];
  @ApiProperty({ description: '终止: dropped projects, outside the funnel' }) dropped!: FilteredCount;
  @ApiProperty({ type: [LightView] }) lights!: LightView[];
  @ApiProperty() redList!: ProjectListView;
  @ApiProperty({ type: [DashboardTargetsView] }) targets!: DashboardTargetsView[];
  @ApiProperty() rankingRule!: string;
  @ApiProperty({ type: [RankedRegionView] }) ranking!: RankedRegionView[];
  @ApiProperty({ type: [CohortView], description: 'the signing cohorts of the year before and this year' })
  cohorts!: CohortView[];
  @ApiProperty({ type: [FundsComparisonView] }) funds!: FundsComparisonView[];
  @ApiProperty({ description: 'projects of 10 亿元 and more' }) majorProjects!: ProjectListView;
}
