/**
 * The people directory's rules. A person's id is what their sign-in carries as `sub`, so it is
 * plain enough to sit in a URL; a mobile number is what DingTalk and WeCom @-mention by.
 */
export const PERSON_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
/** Mainland mobile numbers: 11 digits beginning 13–19. */
export const MOBILE_PATTERN = /^1[3-9]\d{9}$/;
/** Landlines as officers write them: area code, an optional hyphen, 7 or 8 digits, an optional extension. */
export const LANDLINE_PATTERN = /^0\d{2,3}-?\d{7,8}(-\d{1,6})?$/;

export function isPersonId(value: unknown): value is string {
  return typeof value === 'string' && PERSON_ID_PATTERN.test(value);
}

export function isPhoneNumber(value: unknown): value is string {
  return typeof value === 'string' && (MOBILE_PATTERN.test(value) || LANDLINE_PATTERN.test(value));
}

export function isMobileNumber(value: unknown): value is string {
  return typeof value === 'string' && MOBILE_PATTERN.test(value);
}

/**
 * The channels a person is reached on as themselves: their e-mail, and their mobile, by which a
 * DingTalk or WeCom group robot @-mentions them. A landline reaches no one.
 */
export type PersonalChannel = 'email' | 'mobile';
export const PERSONAL_CHANNELS: readonly PersonalChannel[] = ['email', 'mobile'];
export const PERSONAL_CHANNEL_LABELS: Record<PersonalChannel, string> = {
  email: '电子邮件',
  mobile: '手机（群机器人@）',
};

export function personalChannelsOf(person: {
  phone: string | null;
  email: string | null;
}): PersonalChannel[] {
  const channels: PersonalChannel[] = [];
  if (person.email) channels.push('email');
  if (isMobileNumber(person.phone)) channels.push('mobile');
  return channels;
}

/** SQL over a row's phone and e-mail columns: true where `personalChannelsOf` finds no channel. */
export function withoutChannelSql(phone = 'phone', email = 'email'): string {
  return `(${email} IS NULL AND (${phone} IS NULL OR ${phone} !~ '${MOBILE_PATTERN.source}'))`;
}
