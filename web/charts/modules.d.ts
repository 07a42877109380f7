// Modules the chart code imports that TypeScript cannot type by itself.

// Vite's `?inline` suffix imports a stylesheet as a string (to put in a shadow root).
declare module '*.css?inline' {
  const css: string
  export default css
}

// uPlot's ESM build; its types are the package's (uplot/dist/uPlot.d.ts).
declare module 'uplot/dist/uPlot.esm.js' {
  import uPlot from 'uplot'
  export default uPlot
}
