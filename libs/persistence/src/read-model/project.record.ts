import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The projects read model: one row per project, written in the same transaction as its events.
 * numeric columns stay strings, so amounts remain exact decimals end to end.
 */
@Entity({ name: 'projects' })
export class ProjectRecord {
  @PrimaryColumn({ name: 'project_id', type: 'text' }) projectId!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text' }) stage!: string;
  @Column({ type: 'char', length: 6 }) region!: string;
  @Column({ type: 'text', nullable: true }) park!: string | null;
  @Column({ name: 'industry_chain', type: 'text' }) industryChain!: string;
  @Column({ type: 'boolean' }) industrial!: boolean;
  @Column({ name: 'investor_name', type: 'text' }) investorName!: string;
  @Column({ name: 'investor_type', type: 'text' }) investorType!: string;
  @Column({ name: 'investor_flags', type: 'text', array: true }) investorFlags!: string[];
  @Column({ name: 'investor_origin', type: 'text', nullable: true }) investorOrigin!: string | null;
  @Column({ type: 'text', nullable: true }) source!: string | null;
  @Column({ name: 'planned_investment', type: 'numeric', precision: 20, scale: 2 })
  plannedInvestment!: string;
  @Column({ name: 'contract_investment', type: 'numeric', precision: 20, scale: 2, nullable: true })
  contractInvestment!: string | null;
  @Column({ name: 'funds_arrived_total', type: 'numeric', precision: 20, scale: 2 })
  fundsArrivedTotal!: string;
  @Column({ name: 'lead_date', type: 'date', nullable: true }) leadDate!: string | null;
  @Column({ name: 'talks_date', type: 'date', nullable: true }) talksDate!: string | null;
  @Column({ name: 'signed_date', type: 'date', nullable: true }) signedDate!: string | null;
  @Column({ name: 'landed_date', type: 'date', nullable: true }) landedDate!: string | null;
  @Column({ name: 'started_date', type: 'date', nullable: true }) startedDate!: string | null;
  @Column({ name: 'in_stats_date', type: 'date', nullable: true }) inStatsDate!: string | null;
  @Column({ name: 'production_date', type: 'date', nullable: true }) productionDate!: string | null;
  @Column({ name: 'dropped_date', type: 'date', nullable: true }) droppedDate!: string | null;
  @Column({ name: 'signing_year', type: 'integer', nullable: true }) signingYear!: number | null;
  @Column({ name: 'service_officer_id', type: 'text', nullable: true }) serviceOfficerId!: string | null;
  @Column({ name: 'chief_service_officer_id', type: 'text', nullable: true }) chiefServiceOfficerId!:
    string | null;
  @Column({ type: 'text' }) light!: string;
  @Column({ type: 'boolean' }) overdue!: boolean;
  @Column({ name: 'overdue_steps', type: 'text', array: true }) overdueSteps!: string[];
  @Column({ name: 'open_anomalies', type: 'text', array: true }) openAnomalies!: string[];
  /** 统一社会信用代码 of the landed company, as recorded. */
  @Column({ name: 'credit_code', type: 'text', nullable: true }) creditCode!: string | null;
  @Column({ name: 'contract_number', type: 'text', nullable: true }) contractNumber!: string | null;
  /** The duplicate check's lookup keys (duplicateLookupColumns). */
  @Column({ name: 'investor_key', type: 'text', nullable: true }) investorKey!: string | null;
  @Column({ name: 'contract_key', type: 'text', nullable: true }) contractKey!: string | null;
  @Column({ type: 'integer' }) version!: number;
  /** The version of the last event a person recorded: what the ETag names. */
  @Column({ type: 'integer' }) revision!: number;
  @Column({ type: 'jsonb' }) state!: unknown;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
