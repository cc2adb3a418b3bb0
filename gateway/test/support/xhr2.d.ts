// xhr2 ships no types; the tests only install it as the global XMLHttpRequest.
declare module "xhr2" {
  const XMLHttpRequest: unknown;
  export default XMLHttpRequest;
}
