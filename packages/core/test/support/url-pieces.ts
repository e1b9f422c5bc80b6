/**
 * Pieces that base URLs are made of in the property tests: characters that fool URL parsers, and
 * the parts of a Lacework host. Each test adds its own.
 */
export const URL_PIECES = [
  ...'acmeACME0189-._:/\\@%#?[]'.split(''),
  'lacework',
  '.lacework.net',
  'https://',
  'http://',
  '127.0.0.1',
  'localhost',
  'xn--',
  ':443',
  ':0',
];
