// CodeMirror 6 for Dashboard Studio's query and JSON editors.
//
// The page is server-rendered with plain textareas, and they keep working
// without this script. Once the app has hydrated, each editor component
// (app/src/ui/editor/code.rs) calls `mount` with its textarea and an empty
// host element: the editor replaces the textarea on screen, and every edit
// is written back to the textarea and announced with an `input` event, so
// the app's own handlers, drafts and checks stay the single source of truth.
// A value the app sets on the textarea reaches the editor too.
//
// Highlighting: codemirror-promql for PromQL (with function and keyword
// completion), the official Lezer grammars for LogQL and TraceQL, lang-json.
// Diagnostics are not computed here: the app's checks (core compiled to
// wasm) push theirs through `setDiagnostics`, so the editor shows exactly
// what the problem list under it says. Tokens carry stable `tok-*` classes
// (tagHighlighter) styled in style/main.css.

import { EditorState } from '@codemirror/state';
import {
  EditorView, keymap, drawSelection, highlightActiveLine, highlightSpecialChars, lineNumbers,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import {
  LRLanguage, LanguageSupport, bracketMatching, indentOnInput, syntaxHighlighting,
} from '@codemirror/language';
import { styleTags, tagHighlighter, tags as t } from '@lezer/highlight';
import { setDiagnostics } from '@codemirror/lint';
import {
  autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap, completeFromList,
} from '@codemirror/autocomplete';
import { json } from '@codemirror/lang-json';
import { PromQLExtension } from '@prometheus-io/codemirror-promql';
import {
  parser as logqlParser, AGGREGATION_OPERATORS, RANGE_VEC_FUNCTIONS, BUILT_IN_FUNCTIONS,
} from '@grafana/lezer-logql';
import { parser as traceqlParser } from '@grafana/lezer-traceql';

// Stable `tok-*` classes, styled in style/main.css (the house colours).
const highlighter = tagHighlighter([
  { tag: [t.keyword, t.modifier, t.operatorKeyword], class: 'tok-keyword' },
  { tag: [t.function(t.variableName), t.function(t.propertyName)], class: 'tok-function' },
  { tag: [t.string, t.special(t.string), t.regexp], class: 'tok-string' },
  { tag: [t.number, t.atom, t.bool, t.null], class: 'tok-number' },
  { tag: [t.labelName, t.propertyName], class: 'tok-label' },
  { tag: t.namespace, class: 'tok-namespace' },
  { tag: t.special(t.variableName), class: 'tok-variable' },
  { tag: t.variableName, class: 'tok-name' },
  { tag: [t.operator, t.logicOperator, t.arithmeticOperator], class: 'tok-operator' },
  { tag: t.comment, class: 'tok-comment' },
  { tag: [t.paren, t.brace, t.squareBracket], class: 'tok-bracket' },
  { tag: t.invalid, class: 'tok-invalid' },
]);

const logqlLanguage = LRLanguage.define({
  name: 'logql',
  parser: logqlParser.configure({
    props: [
      styleTags({
        'Json Logfmt Unpack Pattern Regexp Unwrap LabelFormat LineFormat Decolorize Drop Keep Ip': t.keyword,
        'By Without On Ignoring GroupLeft GroupRight Bool Offset': t.modifier,
        'And Or Unless': t.logicOperator,
        'Sum Avg Count Max Min Stddev Stdvar Bottomk Topk Sort Sort_Desc Approx_Topk ApproxCountDistinct LabelReplace Vector':
          t.function(t.variableName),
        'CountOverTime Rate RateCounter BytesOverTime BytesRate AvgOverTime SumOverTime MinOverTime MaxOverTime StddevOverTime StdvarOverTime QuantileOverTime FirstOverTime LastOverTime AbsentOverTime BytesConv DurationConv DurationSecondsConv':
          t.function(t.variableName),
        'Identifier LabelName': t.labelName,
        String: t.string,
        'Number Duration Bytes': t.number,
        LineComment: t.lineComment,
        'Eq Neq Re Nre PipeExact PipeMatch PipePattern Npa Pipe Gtr Gte Lss Lte Eql Add Sub Mul Div Mod Pow':
          t.operator,
        '( )': t.paren,
        '{ }': t.brace,
        '[ ]': t.squareBracket,
      }),
    ],
  }),
  languageData: { commentTokens: { line: '#' }, closeBrackets: { brackets: ['(', '[', '{', '"', '`'] } },
});

const logqlCompletions = [...AGGREGATION_OPERATORS, ...RANGE_VEC_FUNCTIONS, ...BUILT_IN_FUNCTIONS].map((f) => ({
  label: f.label,
  detail: f.detail,
  info: f.documentation,
  type: 'function',
}));

const traceqlLanguage = LRLanguage.define({
  name: 'traceql',
  parser: traceqlParser.configure({
    props: [
      styleTags({
        'Resource Span Event Link Instrumentation Parent': t.namespace,
        Identifier: t.propertyName,
        IntrinsicField: t.standard(t.propertyName),
        Static: t.atom,
        String: t.string,
        'Integer Float Duration': t.number,
        TemplateVariable: t.special(t.variableName),
        'And Or Gt Desc Lt Anc ExperimentalOp UnionStructuralOp FieldOp ScalarOp ComparisonOp Pipe': t.operator,
        'Aggregate MetricsOperationBasicType MetricsAggregatorFunctionType MetricsOverTimeType': t.function(t.variableName),
        'With HintIdentifier': t.keyword,
        LineComment: t.lineComment,
        BlockComment: t.blockComment,
        '( )': t.paren,
        '{ }': t.brace,
      }),
    ],
  }),
  languageData: { commentTokens: { line: '//', block: { open: '/*', close: '*/' } } },
});

const traceqlCompletions = [
  ...['duration', 'name', 'status', 'statusMessage', 'kind', 'rootName', 'rootServiceName', 'traceDuration',
    'event:name', 'link:traceID', 'link:spanID', 'instrumentation:name', 'instrumentation:version']
    .map((label) => ({ label, type: 'property', detail: 'intrinsic' })),
  ...['resource.', 'span.', 'event.', 'link.', 'instrumentation.']
    .map((label) => ({ label, type: 'namespace', detail: 'scope' })),
  ...['count()', 'avg()', 'min()', 'max()', 'sum()', 'by()', 'select()', 'coalesce()', 'rate()', 'count_over_time()',
    'quantile_over_time()', 'histogram_over_time()', 'compare()', 'topk()', 'bottomk()']
    .map((label) => ({ label, type: 'function', apply: label.slice(0, -1) })),
  ...['error', 'ok', 'unset', 'server', 'client', 'producer', 'consumer', 'internal', 'nil', 'true', 'false']
    .map((label) => ({ label, type: 'constant' })),
];

/** The language support of one editor: highlighting and completion. */
function languageSupport(language) {
  switch (language) {
    case 'promql':
      // The app's checks (promql-parser, in wasm) are the linter; no Prometheus
      // to ask for metric names, so completion offers functions and keywords.
      return new PromQLExtension().activateLinter(false).asExtension();
    case 'logql':
      return new LanguageSupport(logqlLanguage, logqlLanguage.data.of({ autocomplete: completeFromList(logqlCompletions) }));
    case 'traceql':
      return new LanguageSupport(traceqlLanguage, traceqlLanguage.data.of({ autocomplete: completeFromList(traceqlCompletions) }));
    case 'json':
      return json();
    default:
      return [];
  }
}

const textareaValue = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value');
const valueSetter = textareaValue.set;
const valueGetter = textareaValue.get;

// CodeMirror styles itself with <style> elements; the page's CSP admits
// those that carry the response's nonce, which this script was given.
const nonce = (document.currentScript && document.currentScript.nonce) || '';

const editors = new Map();
let nextId = 1;

/** The accessible name of the textarea, from its label. */
function labelOf(textarea) {
  const label = textarea.labels && textarea.labels[0];
  return label ? label.textContent.trim() : textarea.getAttribute('aria-label') || '';
}

/**
 * Shows a CodeMirror editor in `host` for `textarea` and returns its id
 * (0 when there is nothing to mount). `language`: promql, logql, traceql or
 * json; `readOnly` for versions shown from history.
 */
function mount(host, textarea, language, readOnly) {
  if (!host || !textarea) return 0;
  const id = nextId++;
  let fromTextarea = false;
  const contentAttributes = { 'aria-label': labelOf(textarea) };
  const describedBy = textarea.getAttribute('aria-describedby');
  if (describedBy) contentAttributes['aria-describedby'] = describedBy;
  const view = new EditorView({
    parent: host,
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        language === 'json' ? lineNumbers() : [],
        highlightSpecialChars(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        closeBrackets(),
        autocompletion({ icons: false }),
        highlightActiveLine(),
        syntaxHighlighting(highlighter),
        languageSupport(language),
        EditorView.lineWrapping,
        nonce ? EditorView.cspNonce.of(nonce) : [],
        EditorView.contentAttributes.of(contentAttributes),
        EditorState.readOnly.of(!!readOnly),
        EditorView.editable.of(!readOnly),
        keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...completionKeymap]),
        EditorView.updateListener.of((update) => {
          if (!update.docChanged || fromTextarea) return;
          valueSetter.call(textarea, update.state.doc.toString());
          textarea.dispatchEvent(new Event('input', { bubbles: true }));
        }),
      ],
    }),
  });
  // A value the app writes to the textarea shows in the editor.
  Object.defineProperty(textarea, 'value', {
    configurable: true,
    get() { return valueGetter.call(this); },
    set(v) {
      valueSetter.call(this, v);
      const now = view.state.doc.toString();
      if (v !== now) {
        fromTextarea = true;
        try {
          view.dispatch({ changes: { from: 0, to: now.length, insert: String(v) } });
        } finally {
          fromTextarea = false;
        }
      }
    },
  });
  // The editor replaces the textarea on screen (the textarea stays for forms
  // and for the app's reads); a click on the label focuses the editor.
  textarea.classList.add('cm-replaced');
  host.classList.add('cm-mounted');
  host.dataset.language = language;
  for (const label of textarea.labels || []) {
    label.addEventListener('click', (e) => { e.preventDefault(); view.focus(); });
  }
  editors.set(id, { view, textarea });
  return id;
}

/**
 * Replaces the editor's diagnostics. `list` is a JSON array of
 * `{from, to, severity, message}` with UTF-16 offsets into the text.
 */
function setEditorDiagnostics(id, list) {
  const editor = editors.get(id);
  if (!editor) return;
  const { view } = editor;
  const length = view.state.doc.length;
  const diagnostics = JSON.parse(list).map((d) => {
    const from = Math.max(0, Math.min(d.from, length));
    const to = Math.max(from, Math.min(d.to, length));
    return { from, to, severity: d.severity, message: d.message };
  });
  view.dispatch(setDiagnostics(view.state, diagnostics));
  view.contentDOM.setAttribute('aria-invalid', String(diagnostics.some((d) => d.severity === 'error')));
}

/** Puts the cursor at UTF-16 offset `at`, scrolls it (and the editor) into view and focuses the editor. */
function reveal(id, at) {
  const editor = editors.get(id);
  if (!editor) return;
  const { view } = editor;
  const pos = Math.max(0, Math.min(at, view.state.doc.length));
  view.dispatch({ selection: { anchor: pos }, effects: EditorView.scrollIntoView(pos, { y: 'center' }) });
  view.focus();
  // The editor itself into the page's view too (its scrolling parents), once
  // the page around it has laid out.
  requestAnimationFrame(() => view.dom.scrollIntoView({ block: 'center', inline: 'nearest' }));
}

/** Forgets an editor whose component is gone. */
function destroy(id) {
  const editor = editors.get(id);
  if (!editor) return;
  editor.view.destroy();
  delete editor.textarea.value; // back to the prototype's property
  editor.textarea.classList.remove('cm-replaced');
  editors.delete(id);
}

window.DashstudioCodeMirror = { mount, setDiagnostics: setEditorDiagnostics, reveal, destroy };
