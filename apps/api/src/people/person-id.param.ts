import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { isPersonId } from '@app/domain';
import { parameterProblem } from '../common/validators';

/** A person's id in a path: anything the directory could not hold is a 400 naming the parameter. */
@Injectable()
export class PersonIdParam implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    const field = metadata.data ?? 'id';
    if (!isPersonId(value)) throw parameterProblem(field, 'personId', `${field} must be a person id`);
    return value;
  }
}
