/** One step of a dotted option path: a key or an array index (services[0].checks[2].timeout). */
export type PathSegment = string | number;
