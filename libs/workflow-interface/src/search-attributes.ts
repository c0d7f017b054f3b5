import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** What operators filter projects by in Temporal's Web UI and CLI. */
export const PROJECT_STAGE = defineSearchAttributeKey('ProjectStage', SearchAttributeType.KEYWORD);
export const PROJECT_REGION = defineSearchAttributeKey('ProjectRegion', SearchAttributeType.KEYWORD);
export const INDUSTRY_CHAIN = defineSearchAttributeKey('IndustryChain', SearchAttributeType.KEYWORD);
export const SIGNING_YEAR = defineSearchAttributeKey('SigningYear', SearchAttributeType.INT);
export const PROJECT_LIGHT = defineSearchAttributeKey('ProjectLight', SearchAttributeType.KEYWORD);
