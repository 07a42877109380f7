/** Minimal types for the parts of `@lhncbc/ucum-lhc` (untyped CommonJS) the engine uses. */
declare module '@lhncbc/ucum-lhc' {
  export interface UcumConvertResult {
    status: 'succeeded' | 'failed' | 'error'
    toVal: number | null
    msg: string[]
  }

  export interface UcumValidateResult {
    status: 'valid' | 'invalid' | 'error'
    ucumCode: string | null
    msg: string[]
  }

  export interface UcumLhcUtils {
    convertUnitTo(
      fromUnitCode: string,
      fromVal: number,
      toUnitCode: string,
      options?: { suggest?: boolean; molecularWeight?: number; charge?: number },
    ): UcumConvertResult
    validateUnitString(uStr: string, suggest?: boolean, valConv?: 'validate' | 'convert'): UcumValidateResult
  }

  const ucum: {
    UcumLhcUtils: { getInstance(): UcumLhcUtils }
  }
  export default ucum
}
