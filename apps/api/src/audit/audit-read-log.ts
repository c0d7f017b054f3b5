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
import type { Actor } from '@app/domain';
import { currentRequestId } from '../observability/request-context';
import { AuditQueries } from './audit.queries';

/** Records who read what of the audit trail, before answering: the reading is evidence too. */
@Injectable()
export class AuditReadInterceptor implements NestInterceptor {
  private readonly logger = new Logger('audit');

  constructor(private readonly queries: AuditQueries) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = context.switchToHttp().getRequest<Request & { actor?: Actor }>();
    const actor = req.actor;
    await this.queries.recordRead({
      actorId: actor?.id ?? 'anonymous',
      actorRole: actor?.role ?? 'none',
      method: req.method,
      path: req.originalUrl,
      requestId: currentRequestId() ?? null,
    });
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
