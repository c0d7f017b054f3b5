import { toWanYuan, toYiYuan, tryParseYuan, YI_YUAN } from '../../../libs/domain/src/money';

/** An amount as officers write it: 亿元 from 1亿 up, else 万元. */
export function amountText(yuan: string | null | undefined): string {
  if (yuan == null) return '—';
  const fen = tryParseYuan(yuan);
  if (fen === null) return yuan;
  const abs = fen < 0n ? -fen : fen;
  return abs >= YI_YUAN ? `${toYiYuan(fen)} 亿元` : `${toWanYuan(fen)} 万元`;
}

/** The exact amount in yuan with digit grouping, for the hover text: 150,000,000.00 元. */
export function exactYuanText(yuan: string | null | undefined): string {
  if (yuan == null) return '';
  const [whole, cents = '00'] = yuan.split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents} 元`;
}
