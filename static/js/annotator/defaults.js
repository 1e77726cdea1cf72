// What a new annotation starts from. Nothing carries over silently from the last one:
// - the colour is chosen per annotation (the palette's first colour unless the reader picks
//   one; a claim's colour follows its rating until the reader picks one);
// - privacy is public unless the reader pressed Private for this annotation, or chose to keep
//   it on ("Private: on", remembered in this browser and shown wherever one annotates).

const KEEP_PRIVATE_KEY = "astana.annotator.keepPrivate";

/** A rating's colour, read from the legend (annotations/models.py Colour): supported by other
 * sources is green, disputed or doubtful is red, framing and wording is purple. */
const RATING_COLOURS = {
  supported: "green",
  disputed: "red",
  false: "red",
  unverifiable: "red",
  misleading: "purple",
};

export function defaultColour(palette) {
  return palette[0] ? palette[0].value : "yellow";
}

/** The colour a claim with this rating gets when the reader has not picked one. */
export function colourForRating(rating, palette) {
  const colour = RATING_COLOURS[rating];
  return colour && palette.some((c) => c.value === colour) ? colour : defaultColour(palette);
}

function readKeep() {
  try {
    return window.localStorage.getItem(KEEP_PRIVATE_KEY) === "1";
  } catch {
    return false; // storage blocked: nothing persists
  }
}

function writeKeep(keep) {
  try {
    if (keep) window.localStorage.setItem(KEEP_PRIVATE_KEY, "1");
    else window.localStorage.removeItem(KEEP_PRIVATE_KEY);
  } catch {
    // storage blocked: the choice lasts for this page only
  }
}

/**
 * Privacy for the annotation being made. isPrivate: this annotation will be private; kept: the
 * reader chose to keep it on for the next ones too. onChange(state) runs after every change.
 */
export function createPrivacy(onChange = () => {}) {
  const state = { kept: readKeep(), isPrivate: false };
  state.isPrivate = state.kept;

  function set(isPrivate, kept) {
    state.isPrivate = isPrivate || kept;
    if (kept !== state.kept) writeKeep(kept);
    state.kept = kept;
    onChange(state);
  }

  return {
    state,
    /** P: private for this annotation; turning it off also stops keeping it on. */
    toggle() {
      if (state.isPrivate) set(false, false);
      else set(true, state.kept);
    },
    /** K: keep private on for the next annotations (or stop keeping it). */
    toggleKeep() {
      if (state.kept) set(state.isPrivate, false);
      else set(true, true);
    },
    setPrivate(isPrivate) {
      if (isPrivate) set(true, state.kept);
      else set(false, false);
    },
    setKept(kept) {
      set(kept ? true : state.isPrivate, kept);
    },
    /** A new annotation begins: back to the default (public) unless kept on. */
    reset() {
      state.kept = readKeep(); // another tab may have turned it off
      set(state.kept, state.kept);
    },
  };
}
