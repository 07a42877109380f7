// web/ runs in the browser: the DOM's types, which the shared tsconfig (lib ES2023, for Node) leaves out.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
