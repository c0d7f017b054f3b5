import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

// What the review routes answer, documented for clients (the console's types are generated from them).

export class CountRatioView {
  @ApiProperty({ example: 42 }) numerator!: number;
  @ApiProperty({ example: 64 }) denominator!: number;
  @ApiProperty({
    nullable: true,
    type: String,
    example: '65.63',
    description: 'two decimals; null over nothing',
  })
  percent!: string | null;
}

export class AmountRatioView {
  @ApiProperty({ example: '3200000000.00', description: 'yuan' }) numerator!: string;
  @ApiProperty({ example: '5000000000.00', description: 'yuan' }) denominator!: string;
  @ApiProperty({ nullable: true, type: String, example: '64.00' }) percent!: string | null;
}

export class CohortStartRateView {
  @ApiProperty({ type: CountRatioView }) all!: CountRatioView;
  @ApiProperty({ type: CountRatioView, description: 'of the industrial projects' })
  industrial!: CountRatioView;
}

export class StartRateView {
  @ApiProperty({ type: CohortStartRateView, description: 'the cohort signed the year before' })
  previousYear!: CohortStartRateView;
  @ApiProperty({ type: CohortStartRateView, description: "the cohort signed in the review's year" })
  currentYear!: CohortStartRateView;
}

export class CohortRatioView {
  @ApiProperty({ type: CountRatioView }) previousYear!: CountRatioView;
  @ApiProperty({ type: CountRatioView }) currentYear!: CountRatioView;
}

/** Every rate of one scope of a 回头看. */
export class ReviewRatesView {
  @ApiProperty() projects!: number;
  @ApiProperty({ type: StartRateView, description: '开工率' }) startRate!: StartRateView;
  @ApiProperty({ type: AmountRatioView, description: '新开工项目到资率' }) fundsArrivalRate!: AmountRatioView;
  @ApiProperty({ type: CountRatioView, description: '新开工项目入统率' }) statisticsRate!: CountRatioView;
  @ApiProperty({ type: CohortRatioView, description: '落地率' }) landingRate!: CohortRatioView;
  @ApiProperty({ type: CohortRatioView, description: '履约率' }) performanceRate!: CohortRatioView;
  @ApiProperty({ type: CountRatioView, description: '工业项目占比' }) industrialShare!: CountRatioView;
  @ApiProperty({ type: CountRatioView, description: '民营投资项目占比' }) privateShare!: CountRatioView;
}

export class RegionRatesView {
  @ApiProperty({ example: '420506' }) region!: string;
  @ApiProperty({ type: ReviewRatesView }) rates!: ReviewRatesView;
}

export class IndustryChainRatesView {
  @ApiProperty({ example: '新材料' }) industryChain!: string;
  @ApiProperty({ type: ReviewRatesView }) rates!: ReviewRatesView;
}

export class ReviewReadingScopeView {
  @ApiProperty({ type: [String] }) regions!: string[];
  @ApiProperty() note!: string;
}

export class ReviewRatesSetView {
  @ApiProperty({
    nullable: true,
    type: ReviewRatesView,
    description: "null when the revision has no counts to sum for the reader's regions",
  })
  overall!: ReviewRatesView | null;
  @ApiProperty({ type: [RegionRatesView] }) byRegion!: RegionRatesView[];
  @ApiProperty({ type: [IndustryChainRatesView] }) byIndustryChain!: IndustryChainRatesView[];
  @ApiPropertyOptional({
    type: ReviewReadingScopeView,
    description: "present when the figures are over the reader's regions, not the whole report",
  })
  scope?: ReviewReadingScopeView;
}

export class StalledEntryView {
  @ApiProperty() projectId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() region!: string;
  @ApiProperty() industryChain!: string;
  @ApiProperty({ enum: ['deadline', 'red_flag'] }) kind!: 'deadline' | 'red_flag';
  @ApiProperty({ example: 'land_after_signing' }) rule!: string;
  @ApiProperty() ruleLabel!: string;
  @ApiProperty({ nullable: true, type: String, description: 'null for a red flag' })
  dueDate!: string | null;
  @ApiProperty({ description: 'the rung the deadline had reached; 0 for a red flag' }) rung!: number;
}

export class SupervisionSummaryView {
  @ApiProperty() itemId!: string;
  @ApiProperty() projectId!: string;
  @ApiProperty() rule!: string;
  @ApiProperty() ruleLabel!: string;
  @ApiProperty() region!: string;
  @ApiProperty({ example: '2025Q3' }) openedIn!: string;
  @ApiProperty() ownerRole!: string;
  @ApiProperty({ nullable: true, type: String }) ownerId!: string | null;
  @ApiProperty() rung!: number;
  @ApiProperty() dueDate!: string;
  @ApiProperty({ description: '未整改: still stalled at a later review' }) unrectified!: boolean;
}

export class ReviewSupervisionView {
  @ApiProperty({ type: [SupervisionSummaryView], description: 'items this review opened' })
  opened!: SupervisionSummaryView[];
  @ApiProperty({
    type: [SupervisionSummaryView],
    description: 'earlier items still stalled: escalated, 未整改',
  })
  escalated!: SupervisionSummaryView[];
  @ApiProperty({
    type: [SupervisionSummaryView],
    description: 'earlier items whose project no longer breaks the rule',
  })
  resolved!: SupervisionSummaryView[];
}

export class ReviewReportBodyView {
  @ApiProperty({ example: '2025Q3' }) quarter!: string;
  @ApiProperty({ example: '2025-09-30' }) asOf!: string;
  @ApiProperty() policyVersion!: number;
  @ApiProperty({ type: ReviewRatesSetView }) rates!: ReviewRatesSetView;
  @ApiProperty({ type: [StalledEntryView] }) stalled!: StalledEntryView[];
  @ApiProperty({ type: ReviewSupervisionView }) supervision!: ReviewSupervisionView;
}

/** A stored revision of a quarter's review, without its report (the list). */
export class ReviewRevisionView {
  @ApiProperty({ example: '2025Q3' }) quarter!: string;
  @ApiProperty() revision!: number;
  @ApiProperty() asOf!: string;
  @ApiProperty({ description: 'SHA-256 of the stored report' }) reportHash!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() createdBy!: string;
}

/** A stored review with its report, scoped to the reader. */
export class StoredReviewView extends ReviewRevisionView {
  @ApiProperty({ type: ReviewReportBodyView }) report!: ReviewReportBodyView;
}

/** What a finished run answers. */
export class ReviewRunResultView {
  @ApiProperty() quarter!: string;
  @ApiProperty() asOf!: string;
  @ApiProperty() revision!: number;
  @ApiProperty({ description: 'false when the latest stored revision already said the same' })
  stored!: boolean;
  @ApiProperty() reportHash!: string;
  @ApiProperty() stalled!: number;
  @ApiProperty() opened!: number;
  @ApiProperty() escalated!: number;
  @ApiProperty() resolved!: number;
}

/** What a run still going answers (202), for the page to watch at GET /api/reviews/runs/{workflowId}. */
export class ReviewRunningView {
  @ApiProperty() quarter!: string;
  @ApiProperty({ enum: ['running'] }) status!: 'running';
  @ApiProperty() workflowId!: string;
}
