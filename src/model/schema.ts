/**
 * The three file formats — checklist, profile, school file — as JSON Schemas built with
 * TypeBox. The same definitions give ajv its schemas and TypeScript its types, so the
 * two cannot drift apart. Cross-references (item ids, source ids, expressions) are
 * checked after the schema, in `src/load/`.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { ANSWER_TYPES, LEVELS, METHODS, SCHOOL_TYPES, SEVERITIES } from './constants.js';

export { ANSWER_TYPES, LEVELS, METHODS, SCHOOL_TYPES, SEVERITIES };

const strict = { additionalProperties: false } as const;

/** A string enum as `{type, enum}`, so a wrong value gets one clear "one of …" error. */
function StringEnum<T extends readonly string[]>(values: T) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });
}

const NonEmpty = Type.String({ minLength: 1 });
const Identifier = Type.String({ pattern: '^[a-z][a-z0-9_]*$', maxLength: 64 });
const Slug = Type.String({ pattern: '^[a-z][a-z0-9-]*$', maxLength: 64 });
/** A stable dotted item id: `supplies.masks.stock`. Every segment is an identifier. */
const ItemIdPattern = '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$';
const ItemId = Type.String({ pattern: ItemIdPattern, maxLength: 128 });
/** Calendar date, YYYY-MM-DD; `format: date` rejects days that do not exist. */
const DateString = Type.String({ format: 'date' });
/** An expression (see docs/expressions.md) or a literal number. */
const NumberOrExpr = Type.Union([Type.Number(), NonEmpty]);

export const LocalText = Type.Object({ zh: NonEmpty, en: NonEmpty }, strict);
export type LocalText = Static<typeof LocalText>;

export const Severity = StringEnum(SEVERITIES);
export type Severity = (typeof SEVERITIES)[number];

export const Method = StringEnum(METHODS);
export type Method = (typeof METHODS)[number];

export type AnswerType = (typeof ANSWER_TYPES)[number];

export type SchoolType = (typeof SCHOOL_TYPES)[number];

export type Level = (typeof LEVELS)[number];

/** Where a statement or number comes from: a source id of the checklist, and where in it. */
export const SourceRef = Type.Object(
  {
    ref: Slug,
    section: Type.Optional(NonEmpty),
    note: Type.Optional(LocalText),
    /**
     * Set when the requirement or number is not in the cited document (or in any document
     * that can be named): why it was chosen. Reports mark requirements that rest on one.
     */
    assumption: Type.Optional(LocalText),
  },
  strict,
);
export type SourceRef = Static<typeof SourceRef>;

export const SourceDoc = Type.Object(
  {
    id: Slug,
    title: NonEmpty,
    issuer: Type.Optional(NonEmpty),
    date: Type.Optional(NonEmpty),
    /** The document number as published (文号), e.g. 国卫办疾控函〔2020〕668号. */
    number: Type.Optional(NonEmpty),
    note: Type.Optional(LocalText),
  },
  strict,
);
export type SourceDoc = Static<typeof SourceDoc>;

export const Parameter = Type.Object(
  {
    name: Identifier,
    type: StringEnum(['number', 'boolean', 'string'] as const),
    default: Type.Union([Type.Number(), Type.Boolean(), Type.String()]),
    unit: Type.Optional(LocalText),
    description: LocalText,
    min: Type.Optional(Type.Number()),
    max: Type.Optional(Type.Number()),
    /** Source of the default; `ref: unsourced` with a note where no document gives one. */
    source: SourceRef,
  },
  strict,
);
export type Parameter = Static<typeof Parameter>;

export const ChoiceOption = Type.Object({ value: NonEmpty, label: LocalText }, strict);

export const AnswerSpec = Type.Object(
  {
    type: StringEnum(ANSWER_TYPES),
    unit: Type.Optional(LocalText),
    min: Type.Optional(Type.Number()),
    max: Type.Optional(Type.Number()),
    integer: Type.Optional(Type.Boolean()),
    options: Type.Optional(Type.Array(ChoiceOption, { minItems: 2 })),
  },
  strict,
);
export type AnswerSpec = Static<typeof AnswerSpec>;

/**
 * What a passing answer looks like. Numbers and day counts may be expressions over the
 * school profile, parameters and other answers; `rule` is a boolean expression in which
 * `value` is this item's answer.
 */
export const Expectation = Type.Object(
  {
    equals: Type.Optional(Type.Union([Type.Boolean(), Type.Number(), NonEmpty])),
    min: Type.Optional(NumberOrExpr),
    max: Type.Optional(NumberOrExpr),
    one_of: Type.Optional(Type.Array(NonEmpty, { minItems: 1 })),
    within_days: Type.Optional(NumberOrExpr),
    not_after_audit: Type.Optional(Type.Boolean()),
    non_empty: Type.Optional(Type.Boolean()),
    rule: Type.Optional(NonEmpty),
  },
  strict,
);
export type Expectation = Static<typeof Expectation>;

/**
 * A derived item: its status follows other items (e.g. the 三个不开学 gates roll up whole
 * sections). It fails when any covered item of the listed severities fails.
 */
export const Rollup = Type.Object(
  {
    sections: Type.Optional(Type.Array(NonEmpty, { minItems: 1 })),
    items: Type.Optional(Type.Array(ItemId, { minItems: 1 })),
    severities: Type.Array(Severity, { minItems: 1 }),
  },
  strict,
);
export type Rollup = Static<typeof Rollup>;

export const Item = Type.Object(
  {
    id: ItemId,
    title: LocalText,
    method: Method,
    guidance: LocalText,
    answer: Type.Optional(AnswerSpec),
    rollup: Type.Optional(Rollup),
    expect: Type.Optional(Expectation),
    severity: Severity,
    /** One line: why this severity. */
    rationale: LocalText,
    weight: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    required: Type.Optional(Type.Boolean()),
    applies_if: Type.Optional(NonEmpty),
    remediation: LocalText,
    source: SourceRef,
  },
  strict,
);
export type Item = Static<typeof Item>;

export const Section = Type.Object(
  {
    id: Identifier,
    title: LocalText,
    applies_if: Type.Optional(NonEmpty),
    items: Type.Array(Item, { minItems: 1 }),
  },
  strict,
);
export type Section = Static<typeof Section>;

export const Checklist = Type.Object(
  {
    id: Slug,
    version: Type.String({ pattern: '^\\d+\\.\\d+(\\.\\d+)?$' }),
    title: LocalText,
    description: Type.Optional(LocalText),
    applies_if: Type.Optional(NonEmpty),
    pass_mark: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    sources: Type.Array(SourceDoc, { minItems: 1 }),
    parameters: Type.Optional(Type.Array(Parameter)),
    sections: Type.Array(Section, { minItems: 1 }),
  },
  strict,
);
export type Checklist = Static<typeof Checklist>;

const ParamValue = Type.Union([Type.Number(), Type.Boolean(), Type.String()]);
export const ProfileParam = Type.Union([
  ParamValue,
  Type.Object({ value: ParamValue, source: Type.Optional(SourceRef) }, strict),
]);

export const Profile = Type.Object(
  {
    id: Slug,
    version: Type.Optional(Type.String({ pattern: '^\\d+\\.\\d+(\\.\\d+)?$' })),
    title: LocalText,
    description: Type.Optional(LocalText),
    extends: Type.Optional(Slug),
    checklists: Type.Optional(Type.Array(Slug, { minItems: 1 })),
    parameters: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]*$' }), ProfileParam)),
    not_ready_on: Type.Optional(Type.Array(Severity, { minItems: 1 })),
    sources: Type.Optional(Type.Array(SourceDoc)),
  },
  strict,
);
export type Profile = Static<typeof Profile>;

export const SchoolProfile = Type.Object(
  {
    id: NonEmpty,
    name: NonEmpty,
    district: NonEmpty,
    type: StringEnum(SCHOOL_TYPES),
    boarding: Type.Optional(Type.Boolean()),
    canteen: Type.Optional(Type.Boolean()),
    students: Type.Integer({ minimum: 0, maximum: 1000000 }),
    staff: Type.Integer({ minimum: 0, maximum: 100000 }),
    boarders: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000000 })),
    classes: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
    address: Type.Optional(Type.String()),
    principal: Type.Optional(Type.String()),
    contact: Type.Optional(Type.String()),
  },
  strict,
);
export type SchoolProfile = Static<typeof SchoolProfile>;

export const Auditor = Type.Union([
  NonEmpty,
  Type.Object({ name: NonEmpty, org: Type.Optional(NonEmpty), role: Type.Optional(NonEmpty) }, strict),
]);

export const AuditMeta = Type.Object(
  {
    date: DateString,
    level: StringEnum(LEVELS),
    auditors: Type.Optional(Type.Array(Auditor)),
    profile: Type.Optional(Slug),
    checklists: Type.Optional(Type.Array(Slug, { minItems: 1 })),
    note: Type.Optional(Type.String()),
  },
  strict,
);
export type AuditMeta = Static<typeof AuditMeta>;

/** Reserved for the waivers workflow; shape-checked now so files written today stay valid. */
export const Waiver = Type.Object(
  {
    item: ItemId,
    reason: NonEmpty,
    approved_by: NonEmpty,
    approved_on: DateString,
    expires: DateString,
  },
  strict,
);
export type Waiver = Static<typeof Waiver>;

/**
 * Answers are keyed by item id; each is a bare value or `{value, note, evidence}`. Their
 * shape per item type is checked against the loaded checklists (src/load/bind.ts), which
 * gives better messages than a schema union could.
 */
export const SchoolFile = Type.Object(
  {
    school: SchoolProfile,
    audit: AuditMeta,
    answers: Type.Optional(Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()])),
    waivers: Type.Optional(Type.Array(Waiver)),
  },
  strict,
);
export type SchoolFile = Static<typeof SchoolFile>;

export const schemas: Record<'checklist' | 'profile' | 'school', TSchema> = {
  checklist: Checklist,
  profile: Profile,
  school: SchoolFile,
};
