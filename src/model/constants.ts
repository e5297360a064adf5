/**
 * The closed vocabularies of the formats, apart from the schemas built from them, so code
 * that only needs a list of values does not load the schema library.
 */
export const SEVERITIES = ['gate', 'critical', 'major', 'minor', 'advisory'] as const;
export const METHODS = ['document_review', 'site_visit', 'interview', 'demonstration'] as const;
export const ANSWER_TYPES = ['boolean', 'number', 'choice', 'date', 'text'] as const;
export const SCHOOL_TYPES = [
  'kindergarten',
  'primary',
  'junior',
  'senior',
  'nine_year',
  'complete_secondary',
  'twelve_year',
  'vocational',
  'special',
] as const;
export const LEVELS = ['self', 'county', 'city', 'province'] as const;
