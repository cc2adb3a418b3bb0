import { type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import { useTeamStream } from "../hooks/use-team-stream.ts";
import type { Team, TeamsApi } from "../teams-api/teams-api.ts";
import { SuggestionList, suggestionId } from "./suggestion-list.tsx";

/** Few enough to scan at a glance; the list of all teams covers the rest. */
const suggestionLimit = 6;
/** Long enough to cover a burst of keystrokes, short enough to feel immediate. */
export const suggestionDebounceMs = 150;

interface SearchFormProps {
  api: TeamsApi;
  value: string;
  onValueChange: (value: string) => void;
  onSearch: (city: string) => void;
  /** The server's reason for rejecting the city, shown at the input. */
  violation: string | null;
}

/**
 * The city input as a WAI-ARIA combobox: typing streams suggestions from ListTeams, the
 * arrow keys move through them, Enter picks one (or looks up what was typed), Escape
 * closes the list.
 */
export function SearchForm({ api, value, onValueChange, onSearch, violation }: SearchFormProps) {
  const ids = useId();
  const inputId = `${ids}-city`;
  const listId = `${ids}-suggestions`;
  const hintId = `${ids}-hint`;
  const errorId = `${ids}-error`;
  const input = useRef<HTMLInputElement>(null);
  // The prefix follows typing only: picking a suggestion must not start another stream.
  const [prefix, setPrefix] = useState("");
  const [open, setOpen] = useState(false);
  const [activeIndex, setActiveIndex] = useState(-1);
  const trimmed = prefix.trim();
  const { teams } = useTeamStream(
    api,
    trimmed ? { prefix: trimmed, limit: suggestionLimit } : null,
    suggestionDebounceMs,
  );
  const expanded = open && teams.length > 0;

  useEffect(() => input.current?.focus(), []);

  const close = (): void => {
    setOpen(false);
    setActiveIndex(-1);
  };
  const pick = (team: Team): void => {
    onValueChange(team.city);
    close();
    onSearch(team.city);
  };
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    close();
    // The lookup answers now: a suggestion stream still waiting out its debounce is not needed.
    setPrefix("");
    onSearch(value);
  };
  const type = (text: string): void => {
    onValueChange(text);
    setPrefix(text);
    setOpen(true);
    setActiveIndex(-1);
  };
  const move = (step: 1 | -1): void => {
    setOpen(true);
    if (teams.length === 0) return;
    setActiveIndex((index) =>
      index === -1 && step === -1 ? teams.length - 1 : (index + step + teams.length) % teams.length,
    );
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      move(event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter" && expanded && teams[activeIndex]) {
      event.preventDefault();
      pick(teams[activeIndex]);
    } else if (event.key === "Escape") {
      event.preventDefault();
      if (expanded) close();
      else type("");
    }
  };

  return (
    <form className="search" onSubmit={submit} aria-label="Find a team">
      <label htmlFor={inputId} className="label">
        City
      </label>
      <div className="search-row">
        <div className="combobox">
          <input
            ref={input}
            id={inputId}
            className="input"
            type="text"
            role="combobox"
            autoComplete="off"
            spellCheck={false}
            placeholder="e.g. Chicago"
            value={value}
            onChange={(event) => type(event.target.value)}
            onKeyDown={onKeyDown}
            onBlur={close}
            aria-autocomplete="list"
            aria-expanded={expanded}
            aria-controls={listId}
            aria-activedescendant={
              expanded && activeIndex >= 0 ? suggestionId(listId, activeIndex) : undefined
            }
            aria-invalid={violation ? true : undefined}
            aria-describedby={violation ? `${hintId} ${errorId}` : hintId}
          />
          <SuggestionList
            id={listId}
            teams={teams}
            open={expanded}
            activeIndex={activeIndex}
            onPick={pick}
          />
        </div>
        <button type="submit" className="button">
          Look up
        </button>
      </div>
      <p id={hintId} className="hint">
        Case and spaces do not matter.
      </p>
      {/* The slot keeps its height, so the error appearing does not push the page down. */}
      <div className="field-error-slot">
        {violation ? (
          <p id={errorId} className="field-error" role="alert">
            {violation}
          </p>
        ) : null}
      </div>
    </form>
  );
}
