import { ApiProperty } from '@nestjs/swagger';
import {
  CAPABILITIES_BY_ROLE,
  COMMANDS_BY_ROLE,
  PROJECT_COMMAND_TYPES,
  readingScope,
  SYSTEM_COMMAND_TYPES,
  ROLE_LABELS,
  type Actor,
  type Capability,
  type ProjectCommandType,
} from '@app/domain';
import { USER_ROLES } from '../auth/token-rules';

const CAPABILITIES: Capability[] = [...new Set(Object.values(CAPABILITIES_BY_ROLE).flat())].sort();
const PEOPLE_COMMANDS = PROJECT_COMMAND_TYPES.filter((c) => !SYSTEM_COMMAND_TYPES.includes(c));

/** The caller, and what the domain's tables let them do: what a console shows and offers. */
export class MeView {
  @ApiProperty({ example: 'officer-0001' }) id!: string;
  @ApiProperty({
    example: '张三',
    nullable: true,
    type: String,
    description: 'the name the people directory gives the id; null when the id is not in it',
  })
  name!: string | null;
  @ApiProperty({ enum: USER_ROLES }) role!: string;
  @ApiProperty({ example: '服务专员' }) roleLabel!: string;
  @ApiProperty({ type: [String], example: ['420506'], description: '6-digit division codes' })
  regions!: string[];
  @ApiProperty({ description: 'reads every region (auditors, admins)' }) readsEverywhere!: boolean;
  @ApiProperty({
    enum: PEOPLE_COMMANDS,
    isArray: true,
    description: 'project commands this role may send, within the regions it acts in',
  })
  commands!: ProjectCommandType[];
  @ApiProperty({ enum: CAPABILITIES, isArray: true, description: 'what else this role may do' })
  capabilities!: Capability[];

  static of(actor: Actor, name: string | null): MeView {
    return {
      id: actor.id,
      name,
      role: actor.role,
      roleLabel: ROLE_LABELS[actor.role],
      regions: actor.regions,
      readsEverywhere: readingScope(actor).everywhere,
      commands: COMMANDS_BY_ROLE[actor.role].filter((c) => !SYSTEM_COMMAND_TYPES.includes(c)),
      capabilities: [...CAPABILITIES_BY_ROLE[actor.role]],
    };
  }
}
