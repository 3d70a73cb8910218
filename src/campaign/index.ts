// Ward campaigns: deep links and printable QR posters (`npm run link`).
export {
  CampaignError,
  TELEGRAM_PAYLOAD_RE,
  isValidStartPayload,
  normalizeUsername,
  resolveBotUsername,
  telegramWardLink,
  wardPayload,
  type UsernameSource,
} from './deeplink.js';
export {
  POSTER_DEFAULTS,
  REORGANISATION,
  a5Pixels,
  formatAsOf,
  posterHotline,
  posterInstructions,
  posterSvg,
  predatesReorganisation,
  renderPoster,
  type PosterInput,
  type RenderedPoster,
} from './poster.js';
export { pdfFromRgba } from './pdf.js';
