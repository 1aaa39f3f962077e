/** What installing or removing our entry does to one agent config file; its own module so hookConfig.ts and opencodePlugin.ts can both name it. */
export type ConfigEdit =
  | { readonly kind: 'write'; readonly text: string }
  | { readonly kind: 'unchanged' }
  /** Nothing but our entry was in it: the file goes rather than stay behind empty (`text` is what is left, for a file that must stay). */
  | { readonly kind: 'delete'; readonly text: string }
  /** The file is not something we can safely edit; it must be left exactly as it is. */
  | { readonly kind: 'refused'; readonly reason: string };
