// ISO 4217 currencies in circulation (fund codes included, metals and testing codes excluded), with the
// exponent of their minor unit. Withdrawn codes (HRK, BGN, ANG, SLL, CUC, ZWL) are intentionally absent.
const EXPONENT_ZERO = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF";
const EXPONENT_THREE = "BHD IQD JOD KWD LYD OMR TND";
const EXPONENT_FOUR = "CLF UYW";
const EXPONENT_TWO =
  "AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF " +
  "CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG " +
  "HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR " +
  "MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD " +
  "SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG " +
  "YER ZAR ZMW ZWG";

function table(): ReadonlyMap<string, number> {
  const entries: [string, number][] = [];
  const add = (codes: string, exponent: number) => {
    for (const code of codes.split(" ")) entries.push([code, exponent]);
  };
  add(EXPONENT_ZERO, 0);
  add(EXPONENT_TWO, 2);
  add(EXPONENT_THREE, 3);
  add(EXPONENT_FOUR, 4);
  return new Map(entries.sort(([a], [b]) => (a < b ? -1 : 1)));
}

export const currencyMinorUnits: ReadonlyMap<string, number> = table();

export function isCurrency(code: string): boolean {
  return currencyMinorUnits.has(code);
}

/** The minor-unit exponent (USD 2, JPY 0, KWD 3); throws for a code that is not a currency. */
export function minorUnits(code: string): number {
  const exponent = currencyMinorUnits.get(code);
  if (exponent === undefined) throw new RangeError(`Unknown currency ${code}`);
  return exponent;
}
