# bash completion for timerlint(1).
# Installed as share/bash-completion/completions/timerlint. Needs only bash
# (not the bash-completion package). tests/test_completions.py checks it
# against the binary: each subcommand is in cmds, each option it takes in
# its arm of _timerlint_opts. Rule ids come from `timerlint rules` itself.

# The options of subcommand $1.
_timerlint_opts() {
  case $1 in
    scan) echo "-p --rules --no-default-rules --db --no-db --force --no-prefilter
               --baseline --fail-on --format --output --print-flags
               --checks --strict --link --show-suppressed -j --tu-timeout
               --shard --changed --dump-ir -q --quiet --severity --exclude
               --config --stats --help" ;;
    runs) echo "--db --format --help" ;;
    db) echo "--db --help" ;;
    diff) echo "--db --format --severity --config --help" ;;
    findings) echo "--run --rule --file --db --show-suppressed --severity
                   --config --format --help" ;;
    merge) echo "-q --quiet --stats --help" ;;
    report) echo "--run --output --db --help" ;;
    rules) echo "--rules --no-default-rules --stand-in --help" ;;
    lsp) echo "--rules --no-default-rules --help" ;;
  esac
}

# The rule ids, from the binary being completed (its "rules:" list).
_timerlint_rule_ids() {
  local tl=$1
  "$tl" rules 2>/dev/null |
    while IFS= read -r line; do
      case $line in
        rules:) on=1 ;;
        "") [ -n "$on" ] && break ;;
        *) [ -n "$on" ] && set -- $line && echo "$1" ;;
      esac
    done
}

# --checks takes comma-separated globs, each maybe '-'-prefixed: complete
# the last one, keeping what comes before it.
_timerlint_checks() {
  local tl=$1 cur=$2 head= tail=$2 neg=
  case $cur in *,*) head=${cur%,*},; tail=${cur##*,} ;; esac
  case $tail in -*) neg=-; tail=${tail#-} ;; esac
  local id
  for id in $(_timerlint_rule_ids "$tl"); do
    [[ $id == "$tail"* ]] && COMPREPLY+=("$head$neg$id")
  done
  [ -z "$cur" ] && COMPREPLY+=("-")
}

# The value of option $opt for subcommand $cmd; 1 if $opt takes none.
_timerlint_value() {
  local tl=$1 cmd=$2 opt=$3 cur=$4
  case $opt in
    -p) COMPREPLY=($(compgen -d -- "$cur")) ;;
    --rules | --db | --output) COMPREPLY=($(compgen -f -- "$cur")) ;;
    --format)
      if [ "$cmd" = diff ]; then
        COMPREPLY=($(compgen -W "text json" -- "$cur"))
      else
        COMPREPLY=($(compgen -W "text json github sarif html" -- "$cur"))
      fi ;;
    --fail-on) COMPREPLY=($(compgen -W "new any none error warning note" -- "$cur")) ;;
    --baseline | --run) COMPREPLY=($(compgen -W "latest latest~1" -- "$cur")) ;;
    --checks) _timerlint_checks "$tl" "$cur" ;;
    --rule) COMPREPLY=($(compgen -W "$(_timerlint_rule_ids "$tl")" -- "$cur")) ;;
    -j | --tu-timeout | --shard | --file | --stand-in) ;;
    *) return 1 ;;
  esac
  [ "$opt" = --checks ] && type compopt >/dev/null 2>&1 && compopt -o nospace
  case $opt in --rules | --db | --output | -p)
    type compopt >/dev/null 2>&1 && compopt -o filenames ;;
  esac
  return 0
}

_timerlint() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
  local tl=${COMP_WORDS[0]} cmd=${COMP_WORDS[1]}
  local cmds="scan runs db diff findings merge report rules lsp help"
  COMPREPLY=()
  type -P "$tl" >/dev/null 2>&1 || tl=timerlint
  if [ "$COMP_CWORD" -eq 1 ]; then
    case $cur in
      -*) COMPREPLY=($(compgen -W "--version --help" -- "$cur")) ;;
      *) COMPREPLY=($(compgen -W "$cmds" -- "$cur")) ;;
    esac
    return 0
  fi
  # Compiler flags after a scan's `--`: files only.
  local i
  for ((i = 2; i < COMP_CWORD; i++)); do
    if [ "${COMP_WORDS[i]}" = -- ]; then
      COMPREPLY=($(compgen -f -- "$cur"))
      return 0
    fi
  done
  # --opt=VALUE: readline splits it as --opt, =, VALUE.
  if [ "$cur" = = ]; then
    cur=
  elif [ "$prev" = = ] && [ "$COMP_CWORD" -ge 3 ]; then
    prev=${COMP_WORDS[COMP_CWORD - 2]}
  fi
  _timerlint_value "$tl" "$cmd" "$prev" "$cur" && return 0
  case $cur in
    -*) COMPREPLY=($(compgen -W "$(_timerlint_opts "$cmd")" -- "$cur")); return 0 ;;
  esac
  case $cmd in
    help) COMPREPLY=($(compgen -W "${cmds% help}" -- "$cur")) ;;
    db) [ "$COMP_CWORD" -eq 2 ] &&
          COMPREPLY=($(compgen -W "check rebuild" -- "$cur")) ;;
    scan | merge)
      COMPREPLY=($(compgen -f -- "$cur"))
      type compopt >/dev/null 2>&1 && compopt -o filenames ;;
  esac
  return 0
}

complete -F _timerlint timerlint
