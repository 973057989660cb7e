// pptxgenjs's types as NodeNext sees its CommonJS build: the class and its namespace of option
// types are the module's `default`.
import type Module from 'pptxgenjs';

export type Pptx = InstanceType<typeof Module.default>;
export type Slide = ReturnType<Pptx['addSlide']>;
export type TextProps = Module.default.TextProps;
export type TextPropsOptions = Module.default.TextPropsOptions;
export type TableCell = Module.default.TableCell;
export type ChartOptions = Module.default.IChartOpts;
export type MasterProps = Module.default.SlideMasterProps;
export type ChartName = Parameters<Slide['addChart']>[0];
