import { GraphQLScalarType, Kind, print, ValueNode } from 'graphql';
import { badUserInput, Reason } from './errors';
import { explainInvalidMpanCore } from './mpan';

/** Builds a string-based scalar whose input is checked by `explain` (null = valid) and normalised by `normalise`. */
function stringScalar(options: {
  name: string;
  description: string;
  reason: Reason;
  explain: (value: unknown) => string | null;
  normalise?: (value: string) => string;
  serialize: (value: unknown) => string;
}): GraphQLScalarType {
  const parse = (value: unknown): string => {
    const problem = options.explain(value);
    if (problem) throw badUserInput(options.reason, `${options.name}: ${problem}`);
    return options.normalise ? options.normalise(value as string) : (value as string);
  };
  return new GraphQLScalarType({
    name: options.name,
    description: options.description,
    serialize: options.serialize,
    parseValue: parse,
    parseLiteral: (ast: ValueNode) => parse(stringLiteral(options.name, options.reason, ast)),
  });
}

/** The text of a string literal; any other literal is refused with the value as written, so the caller sees it. */
function stringLiteral(scalar: string, reason: Reason, ast: ValueNode): string {
  if (ast.kind === Kind.STRING) return ast.value;
  throw badUserInput(reason, `${scalar}: expected a string in double quotes, got ${print(ast)}`);
}

export const MpanCoreScalar = stringScalar({
  name: 'MpanCore',
  description: 'A 13-digit MPAN core: distributor id (2), identifier (10) and check digit (1).',
  reason: Reason.INVALID_MPAN_CORE,
  explain: explainInvalidMpanCore,
  serialize: (value) => String(value),
});

const DECIMAL_PATTERN = /^-?\d{1,12}(\.\d{1,6})?$/;

export const DecimalScalar = new GraphQLScalarType({
  name: 'Decimal',
  description: 'An exact decimal number written as a string, for example "0.125" (never a binary float).',
  serialize: (value) => String(value),
  parseValue: (value) => parseDecimal(value),
  parseLiteral: (ast) =>
    ast.kind === Kind.INT ? parseDecimal(ast.value) : parseDecimal(stringLiteral('Decimal', Reason.INVALID_DECIMAL, ast)),
});

function parseDecimal(value: unknown): string {
  if (typeof value === 'number' && Number.isInteger(value)) value = String(value);
  if (typeof value !== 'string' || !DECIMAL_PATTERN.test(value)) {
    throw badUserInput(
      Reason.INVALID_DECIMAL,
      `Decimal: expected a string such as "12.345" (up to 12 digits, 6 decimals; floats are refused to avoid rounding), got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

const DATE_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses an ISO 8601 date-time with an explicit offset into a Date; throws BAD_USER_INPUT otherwise. */
export function parseDateTime(value: unknown): Date {
  const date = typeof value === 'string' && DATE_TIME_PATTERN.test(value) ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) {
    throw badUserInput(
      Reason.INVALID_DATE_TIME,
      `DateTime: expected ISO 8601 with an offset, such as "2026-03-29T00:30:00Z", got ${JSON.stringify(value)}`,
    );
  }
  return date;
}

export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An instant, written in ISO 8601 UTC ("2026-03-29T00:30:00.000Z"); input may carry any explicit offset.',
  serialize: (value) => (value instanceof Date ? value : new Date(String(value))).toISOString(),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(stringLiteral('DateTime', Reason.INVALID_DATE_TIME, ast)),
});

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** Parses a calendar date "YYYY-MM-DD"; throws BAD_USER_INPUT for anything else, including 2026-02-30. */
export function parseCalendarDate(value: unknown): string {
  const valid =
    typeof value === 'string' && DATE_PATTERN.test(value) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
  if (!valid) throw badUserInput(Reason.INVALID_DATE, `Date: expected a calendar date "YYYY-MM-DD", got ${JSON.stringify(value)}`);
  return value;
}

export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  description: 'A calendar date, "YYYY-MM-DD".',
  serialize: (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value)),
  parseValue: parseCalendarDate,
  parseLiteral: (ast) => parseCalendarDate(stringLiteral('Date', Reason.INVALID_DATE, ast)),
});

/** Resolvers for the scalars every subgraph declares in its SDL. */
export const scalarResolvers = {
  MpanCore: MpanCoreScalar,
  Decimal: DecimalScalar,
  DateTime: DateTimeScalar,
  Date: DateScalar,
};
