import { cpus, freemem, platform, release, totalmem } from 'node:os';
import { goalMet, summarize, type Section } from './measure';

export interface Machine {
  os: string;
  cpu: string;
  cores: number;
  memoryGiB: string;
  node: string;
  postgres: string;
  temporal: string;
}

export function describeMachine(postgres: string, temporal: string): Machine {
  const cpu = cpus();
  return {
    os: `${platform()} ${release()}`,
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memoryGiB: `${(totalmem() / 2 ** 30).toFixed(1)} (free at start ${(freemem() / 2 ** 30).toFixed(1)})`,
    node: process.version,
    postgres,
    temporal,
  };
}

function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  return abs >= 1000
    ? Math.round(value).toLocaleString('en-US')
    : abs >= 10
      ? value.toFixed(1)
      : value.toFixed(2);
}

/** One section as plain text for the terminal. */
export function sectionText(section: Section): string {
  const lines = [`== ${section.title} ==`];
  for (const f of section.figures) {
    const s = summarize(f.samples);
    const met = goalMet(f);
    lines.push(
      `  ${f.label}: ${format(s.median)} ${f.unit} (min ${format(s.min)}, max ${format(s.max)}, ${s.runs} runs)` +
        (f.goal ? `  goal ${f.goal.text}: ${met ? 'met' : 'MISSED'}` : ''),
    );
  }
  for (const n of section.notes) lines.push(`  - ${n}`);
  return lines.join('\n');
}

/** BENCHMARKS.md: the machine, then every section's figures as median (min–max) with its goal. */
export function markdown(machine: Machine, sections: Section[], command: string, startedAt: string): string {
  const out = [
    '# Benchmarks',
    '',
    `Measured by \`${command}\` on ${startedAt}. Every figure is the median of repeated runs, with the`,
    'minimum and maximum beside it.',
    '',
    '## Machine',
    '',
    '| | |',
    '| --- | --- |',
    `| OS | ${machine.os} |`,
    `| CPU | ${machine.cpu} × ${machine.cores} |`,
    `| memory (GiB) | ${machine.memoryGiB} |`,
    `| Node | ${machine.node} |`,
    `| PostgreSQL | ${machine.postgres} |`,
    `| Temporal | ${machine.temporal} |`,
    '',
  ];
  for (const section of sections) {
    out.push(
      `## ${section.title}`,
      '',
      '| figure | median | min | max | runs | goal |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    for (const f of section.figures) {
      const s = summarize(f.samples);
      const met = goalMet(f);
      const goal = f.goal ? `${f.goal.text}: ${met ? 'met' : '**missed**'}` : '';
      out.push(
        `| ${f.label}${f.note ? ` (${f.note})` : ''} | ${format(s.median)} ${f.unit} | ${format(s.min)} | ${format(s.max)} | ${s.runs} | ${goal} |`,
      );
    }
    out.push('');
    for (const n of section.notes) out.push(`- ${n}`);
    if (section.notes.length) out.push('');
  }
  return out.join('\n');
}
