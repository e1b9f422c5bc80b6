// postman-collection 5.3 ships types in types/index.d.ts but does not point package.json at them,
// so TypeScript cannot see them. This declares only the part of the SDK this package uses.
declare module 'postman-collection' {
  /** A collection as the SDK holds it; `toJSON()` gives Collection Format v2.1 JSON. */
  class Collection {
    constructor(definition?: object);
    id: string;
    name: string;
    toJSON(): Record<string, unknown>;
  }
  const sdk: {
    Collection: typeof Collection;
  };
  export default sdk;
}
