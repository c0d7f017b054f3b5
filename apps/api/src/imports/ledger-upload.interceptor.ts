import {
  HttpException,
  Inject,
  Injectable,
  Optional,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { FileInterceptor, type MulterModuleOptions } from '@nestjs/platform-express';
import type { Observable } from 'rxjs';
import { PROBLEM_BASE, ProblemException } from '../common/problem-details';

const FileField = FileInterceptor('file');

/** The upload's multer options (its limits from configuration), provided by ImportsModule. */
export const LEDGER_UPLOAD_OPTIONS = Symbol('LEDGER_UPLOAD_OPTIONS');

/**
 * Reads the `file` part of POST /imports into memory (multer, with the module's size limit) and
 * tells what went wrong with the upload as a problem naming the field and rule.
 */
@Injectable()
export class LedgerUploadInterceptor implements NestInterceptor {
  private readonly inner: NestInterceptor;

  constructor(@Optional() @Inject(LEDGER_UPLOAD_OPTIONS) private readonly options: MulterModuleOptions = {}) {
    this.inner = new FileField(options);
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    try {
      return await this.inner.intercept(context, next);
    } catch (e) {
      if (!(e instanceof HttpException)) throw e;
      const status: number = e.getStatus();
      if (status === 413) {
        const max = this.options.limits?.fileSize ?? 0;
        throw new ProblemException({
          type: `${PROBLEM_BASE}payload-too-large`,
          title: 'The file is too large',
          status,
          detail: `file must be at most ${max} bytes`,
          errors: [{ field: 'file', rule: 'maxSize', message: `file must be at most ${max} bytes` }],
        });
      }
      throw new ProblemException({
        type: `${PROBLEM_BASE}validation`,
        title: 'The request is not valid',
        status: status >= 500 ? 400 : status,
        detail: e.message,
        errors: [{ field: 'file', rule: 'multipart', message: e.message }],
      });
    }
  }
}
