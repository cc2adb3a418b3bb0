// Remembers a pure check's answer per input string, for the checks every request repeats
// with the same input (its Host, its Origin). Bounded: a client sending a new value on
// every request makes the memo start over, never grow.

export const maxRememberedAnswers = 256;

export class AnswerMemo<T> {
  readonly #check: (input: string) => T;
  readonly #answers = new Map<string, T>();

  constructor(check: (input: string) => T) {
    this.#check = check;
  }

  answer(input: string): T {
    let answer = this.#answers.get(input);
    if (answer === undefined) {
      answer = this.#check(input);
      if (this.#answers.size >= maxRememberedAnswers) this.#answers.clear();
      this.#answers.set(input, answer);
    }
    return answer;
  }
}

/** One memo per policy object, made on first use (policies are immutable once parsed). */
export function memoFor<P extends object, T>(
  memos: WeakMap<P, AnswerMemo<T>>,
  policy: P,
  check: (policy: P, input: string) => T,
): AnswerMemo<T> {
  let memo = memos.get(policy);
  if (!memo) {
    memo = new AnswerMemo((input) => check(policy, input));
    memos.set(policy, memo);
  }
  return memo;
}
