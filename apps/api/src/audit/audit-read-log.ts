import {
  applyDecorators,
  Injectable,
  Logger,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import type { Actor } from '@app/domain';
import { currentRequestId } from '../observability/request-context';

/** Records who read what of the audit trail, before answering: the reading is evidence too. */
@Injectable()
export class AuditReadInterceptor implements NestInterceptor {
  private readonly logger = new Logger('audit');

  constructor(private readonly dataSource: DataSource) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = context.switchToHttp().getRequest<Request & { actor?: Actor }>();
    const actor = req.actor;
    await this.dataSource.query(
      `INSERT INTO audit_reads (actor_id, actor_role, method, path, request_id) VALUES ($1, $2, $3, $4, $5)`,
      [
        actor?.id ?? 'anonymous',
        actor?.role ?? 'none',
        req.method,
        req.originalUrl,
        currentRequestId() ?? null,
      ],
    );
    this.logger.log({
      message: 'audit read',
      actorId: actor?.id,
      actorRole: actor?.role,
      path: req.originalUrl,
    });
    return next.handle();
  }
}

/** Marks a route as an audit read: logged in audit_reads and in the log. */
export const AuditRead = (): MethodDecorator & ClassDecorator =>
  applyDecorators(UseInterceptors(AuditReadInterceptor));
