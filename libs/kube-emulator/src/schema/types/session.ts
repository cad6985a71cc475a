/** `SessionPersistence` (experimental on HTTPRoute and GRPCRoute rules). */
import type { Obj, ObjectSchema } from '../dsl.ts';
import { object, rule, string } from '../dsl.ts';
import { has, objAt } from '../values.ts';
import { duration } from './common.ts';

export function sessionPersistence(): ObjectSchema {
  return object(
    {
      absoluteTimeout: duration(),
      cookieConfig: object({
        lifetimeType: string({ enum: ['Permanent', 'Session'], default: 'Session' }),
      }),
      sessionName: string({ maxLength: 128 }),
      type: string({ enum: ['Cookie', 'Header'], default: 'Cookie' }),
    },
    {
      rules: [
        rule<Obj>(
          'AbsoluteTimeout must be specified when cookie lifetimeType is Permanent',
          (s) =>
            objAt(s, 'cookieConfig')?.lifetimeType !== 'Permanent' || has(s, 'absoluteTimeout'),
        ),
        rule<Obj>(
          'cookieConfig can only be set with type Cookie',
          (s) => !has(s, 'cookieConfig') || s.type === 'Cookie',
        ),
      ],
    },
  );
}
