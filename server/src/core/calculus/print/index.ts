export { toCalc, toPython, toJavaScript } from './text';
export { toUnicode, drawMatrix, superscript } from './unicode';
export { toLatex, latexName } from './latex';
export { partialName, partialNameLatex, type LabelOptions } from './labels';
