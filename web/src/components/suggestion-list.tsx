import type { Team } from "../teams-api/teams-api.ts";

interface SuggestionListProps {
  id: string;
  teams: readonly Team[];
  open: boolean;
  activeIndex: number;
  onPick: (team: Team) => void;
}

export function suggestionId(listId: string, index: number): string {
  return `${listId}-option-${index}`;
}

/**
 * The combobox popup. It floats over the page, so suggestions streaming in never move the
 * content below. Options keep focus in the input: a mouse press must not blur it.
 */
export function SuggestionList({ id, teams, open, activeIndex, onPick }: SuggestionListProps) {
  return (
    <div
      id={id}
      role="listbox"
      aria-label="Suggested cities"
      className="suggestions"
      hidden={!open}
    >
      {teams.map((team, index) => (
        // biome-ignore lint/a11y/useKeyWithClickEvents: the keyboard stays in the combobox input, which moves through options with aria-activedescendant (WAI-ARIA combobox pattern).
        <div
          key={team.city}
          id={suggestionId(id, index)}
          role="option"
          tabIndex={-1}
          aria-selected={index === activeIndex}
          className="suggestion"
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => onPick(team)}
        >
          <span className="suggestion-city">{team.city}</span>
          <span className="suggestion-nickname">{team.nickname}</span>
        </div>
      ))}
    </div>
  );
}
