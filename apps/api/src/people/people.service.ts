import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { mayDo, type Actor } from '@app/domain';
import { PROBLEM_BASE, ProblemException, roleNotAllowed } from '../common/problem-details';
import {
  PersonView,
  type CreatePersonDto,
  type ListPeopleQuery,
  type PersonDto,
  type PersonPageView,
  type PersonRow,
} from './people.dto';
import { PeopleQueries, type PersonValues } from './people.queries';

function notFound(personId: string): ProblemException {
  return new ProblemException({
    type: `${PROBLEM_BASE}not-found`,
    title: 'No such person',
    status: HttpStatus.NOT_FOUND,
    detail: `person ${personId} is not in the directory`,
  });
}

function values(dto: PersonDto): PersonValues {
  return {
    name: dto.name.trim(),
    role: dto.role,
    regions: [...new Set(dto.regions)],
    phone: dto.phone ?? null,
    email: dto.email ?? null,
    active: dto.active ?? true,
  };
}

/** The people directory: read by everyone signed in, kept by admins. */
@Injectable()
export class PeopleService {
  constructor(
    private readonly queries: PeopleQueries,
    private readonly dataSource: DataSource,
  ) {}

  /** Phone and e-mail go to those who keep the directory and to the person themselves. */
  private view(row: PersonRow, actor: Actor): PersonView {
    return PersonView.of(row, mayDo(actor.role, 'people.manage') || row.person_id === actor.id);
  }

  async list(query: ListPeopleQuery, actor: Actor): Promise<PersonPageView> {
    // Who has no e-mail or mobile is a contact detail too, so only those who keep the directory ask it.
    if (query.reachable !== undefined && !mayDo(actor.role, 'people.manage'))
      throw roleNotAllowed(
        `role ${actor.role} may not filter people by reachable; only admins may`,
        'reachable',
      );
    const rows = await this.queries.list({
      role: query.role,
      region: query.region,
      q: query.q?.trim() || undefined,
      active: query.active ?? true,
      reachable: query.reachable,
      after: query.cursor,
      limit: query.limit + 1,
    });
    const items = rows.slice(0, query.limit).map((r) => this.view(r, actor));
    return { items, nextCursor: rows.length > query.limit ? items[items.length - 1].personId : null };
  }

  async get(personId: string, actor: Actor): Promise<PersonView> {
    const row = await this.queries.find(personId);
    if (!row) throw notFound(personId);
    return this.view(row, actor);
  }

  async create(dto: CreatePersonDto, actor: Actor): Promise<PersonView> {
    const row = await this.queries.insert(dto.personId, values(dto), actor.id, this.dataSource.manager);
    if (!row) {
      throw new ProblemException({
        type: `${PROBLEM_BASE}conflict`,
        title: 'The person is in the directory already',
        status: HttpStatus.CONFLICT,
        detail: `person ${dto.personId} exists; change them with PUT /api/people/${dto.personId} and If-Match`,
        errors: [{ field: 'personId', rule: 'unique', message: `personId ${dto.personId} is taken` }],
      });
    }
    return this.view(row, actor);
  }

  async update(personId: string, dto: PersonDto, expectedVersion: number, actor: Actor): Promise<PersonView> {
    return this.dataSource.transaction(async (manager) => {
      const row = await this.queries.update(personId, values(dto), expectedVersion, actor.id, manager);
      if (row) return this.view(row, actor);
      const current = await this.queries.find(personId, manager);
      if (!current) throw notFound(personId);
      throw new ProblemException({
        type: `${PROBLEM_BASE}version-conflict`,
        title: 'The person was changed since you read them',
        status: HttpStatus.PRECONDITION_FAILED,
        detail: `If-Match names version ${expectedVersion}; the entry is at version ${current.version}: read it again`,
      });
    });
  }
}
