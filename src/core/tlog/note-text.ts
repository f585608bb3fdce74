// C2SP signed-note "Format": notes are valid UTF-8 without ASCII control characters other than
// newline; key names are non-empty without Unicode spaces or '+'. JavaScript strings can hold
// lone surrogates, which have no UTF-8 encoding, so those count as invalid UTF-8.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
// biome-ignore lint/suspicious/noControlCharactersInRegex: the rule is about control characters.
const CONTROL_EXCEPT_NEWLINE = /[\u0000-\u0009\u000B-\u001F]/
// biome-ignore lint/suspicious/noControlCharactersInRegex: the rule is about control characters.
const BAD_NAME_CHAR = /[\p{White_Space}+\u0000-\u001F\u007F]/u

/** Whether `text` may appear in a signed note: valid UTF-8, no controls except newline. */
export function isValidNoteText(text: string): boolean {
  return !CONTROL_EXCEPT_NEWLINE.test(text) && !LONE_SURROGATE.test(text)
}

/** Whether `name` is a valid signed-note key name. */
export function isValidKeyName(name: string): boolean {
  return (
    typeof name === 'string' &&
    name.length > 0 &&
    !BAD_NAME_CHAR.test(name) &&
    !LONE_SURROGATE.test(name)
  )
}

const encoder = new TextEncoder()

/** The UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text)
}
