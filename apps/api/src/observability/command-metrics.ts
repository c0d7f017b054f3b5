import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';

/** How a lifecycle command ended: done, refused by a domain rule, lost a version race, or failed. */
export type CommandOutcome = 'accepted' | 'refused' | 'conflict' | 'error';

/** Counts lifecycle commands by name and outcome. */
@Injectable()
export class CommandMetrics {
  private readonly commands: Counter<'command' | 'outcome'>;

  constructor(registry: Registry) {
    this.commands = new Counter({
      name: 'lifecycle_commands_total',
      help: 'Lifecycle commands handled, by command and outcome.',
      labelNames: ['command', 'outcome'],
      registers: [registry],
    });
  }

  record(command: string, outcome: CommandOutcome): void {
    this.commands.inc({ command, outcome });
  }
}
