/** Every scenario the harness has, by upstream ShortName. */
import type { Scenario } from '../scenario.ts';
import { BASIC_SCENARIOS } from './httproute-basic.ts';

export const SCENARIOS: Scenario[] = [...BASIC_SCENARIOS];
