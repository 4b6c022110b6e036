/**
 * The shapes the WebAssembly engine exchanges with JavaScript (see crate/src/wasm.rs).
 * wasm-bindgen types them as `any`; these interfaces are the contract the extension relies on.
 */

export type Category = "identifier" | "tone" | "conflict";
export type Severity = "info" | "warning" | "serious";
export type Region = "AU" | "NZ" | "UK" | "US" | "CA";

/** Every category, in the order the extension shows them. */
export const CATEGORIES: readonly Category[] = ["identifier", "tone", "conflict"];

/** Words a doctor reads on a badge or a toggle, per category. */
export const CATEGORY_LABELS: Readonly<Record<Category, string>> = {
  identifier: "Patient identifiers",
  tone: "Tone",
  conflict: "Undisclosed interests",
};

/** Country names for the region codes the engine uses (a code without a name shows as is). */
export const REGION_NAMES: Readonly<Partial<Record<Region, string>>> = {
  AU: "Australia",
  NZ: "New Zealand",
  UK: "United Kingdom",
  US: "United States",
  CA: "Canada",
};

/** What every warning, about text or a photo, carries from its rule's card. */
export interface Warning {
  rule: string;
  title: string;
  category: Category;
  severity: Severity;
  section: string;
  section_title: string;
  message: string;
  tip: string;
  instead: string;
}

/** One warning over a span of the checked text; offsets are UTF-16 code units. */
export interface Finding extends Warning {
  start: number;
  end: number;
  text: string;
  /** For a rule that reads a learned scorer: the probability (0–1) it gave the wording. */
  score?: number;
}

/** A rule's metadata, for the options page. */
export interface RuleInfo {
  id: string;
  title: string;
  category: Category;
  severity: Severity;
  section: string;
  section_title: string;
  description: string;
  message: string;
  tip: string;
  instead: string;
  default_enabled: boolean;
  region: Region | null;
  /** What the rule reads: the text of a post, or the metadata of a photo being attached. */
  applies_to: "text" | "image";
  /** Whether the rule rests on a learned scorer: its findings judge the wording. */
  learned: boolean;
}

/** The engine's settings. The engine rejects unknown keys, so nothing else may be added here. */
export interface Settings {
  categories?: Partial<Record<Category, boolean>>;
  rules?: Record<string, boolean>;
  regions?: Region[];
  watch_words?: string[];
  affiliations?: string[];
  disclosure_phrases?: string[];
}

/** Settings as the engine reports them, with every default filled in. */
export type FullSettings = Required<{ [K in keyof Settings]-?: NonNullable<Settings[K]> }> & {
  categories: Record<Category, boolean>;
};

/** One warning about a photo being attached (see crate/src/image/mod.rs). */
export interface ImageFinding extends Warning {
  /** Where in the file: "EXIF GPS", "XMP dc:description", "file name". */
  field: string;
  /** What was found there, as text. */
  text: string;
}

export type ImageStatus = "read" | "partial" | "unreadable" | "skipped";

/** What the engine says about a photo: findings, and notes such as "could not read". */
export interface ImageReport {
  format: "jpeg" | "png" | "webp" | "heif" | null;
  status: ImageStatus;
  findings: ImageFinding[];
  notes: string[];
}

/**
 * Files larger than this are not sent to the engine (the same limit as the engine's): they
 * travel to the background as base64 through the browser's messaging, capped at 64 MiB.
 */
export const MAX_IMAGE_BYTES = 32 * 1024 * 1024;
