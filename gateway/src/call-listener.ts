// The listeners of a call's request, answer and upstream streams are the same functions for
// every call (none is made per call): each finds its call on the emitter, where the call
// put itself when it started listening.

export const callOf = Symbol("gRPC-Web call");

/** What a shared listener needs of a call: a guard so a throw ends the call, not the process. */
export interface GuardedCall {
  guard<E, T>(handle: (call: this, arg: T, emitter: E) => void, arg: T, emitter: E): void;
}

export type CarriesCall<C> = { [callOf]?: C };

/** A listener shared by every call: runs `handle` for the emitter's call, guarded. */
export function callListener<C extends GuardedCall, E extends object, T>(
  handle: (call: C, arg: T, emitter: E) => void,
): (this: E & CarriesCall<C>, arg: T) => void {
  return function listener(this: E & CarriesCall<C>, arg: T): void {
    this[callOf]?.guard(handle, arg, this);
  };
}
