// Sends one small agent run as OpenTelemetry GenAI spans to an OTLP/HTTP (JSON) receiver with the
// real OpenTelemetry JS SDK and OTLP HTTP exporter, then prints {"traceId", "spans"} on stdout.
//
//   node otlp-export.mjs <base-url> [--simple | --protobuf] [--no-root]
//
// --simple    export each span as it ends (one request per span, the root last) instead of batching
// --protobuf  send one http/protobuf request: the SDK's finished spans encoded by OpenTelemetry's own
//             ProtobufTraceSerializer (from @opentelemetry/otlp-transformer, the exporters' dependency)
// --no-root   leave the root span open (the receiver must end the trace by its idle timeout)
import { context, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

const [base, ...flags] = process.argv.slice(2);
if (!base) {
  console.error('usage: node otlp-export.mjs <base-url> [--simple] [--no-root]');
  process.exit(2);
}

const url = new URL('/v1/traces', base).toString();
const protobuf = flags.includes('--protobuf');
const memory = new InMemorySpanExporter();
const exporter = new OTLPTraceExporter({ url });
const processor = protobuf ? new SimpleSpanProcessor(memory)
  : flags.includes('--simple') ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter);
const provider = new BasicTracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'demo-agent', 'service.version': '1.2.3' }),
  spanProcessors: [processor],
});
const tracer = provider.getTracer('sovtraj-otlp-export', '0.1.0');

const t0 = Date.parse('2026-11-20T10:00:00Z');
const at = (seconds) => t0 + seconds * 1000;
const messages = (role, text) => JSON.stringify([{ role, parts: [{ type: 'text', content: text }] }]);

const root = tracer.startSpan('invoke_agent demo-agent', {
  startTime: at(0),
  attributes: {
    'gen_ai.operation.name': 'invoke_agent',
    'gen_ai.agent.name': 'demo-agent',
    'gen_ai.request.model': 'demo-model-1',
  },
});
const inRoot = trace.setSpan(context.active(), root);
let spans = 0;

function child(name, start, end, attributes) {
  const span = tracer.startSpan(name, { startTime: at(start), attributes }, inRoot);
  span.end(at(end));
  spans++;
}

child('chat demo-model-1', 1, 2, {
  'gen_ai.operation.name': 'chat',
  'gen_ai.request.model': 'demo-model-1',
  'gen_ai.response.model': 'demo-model-1',
  'gen_ai.input.messages': messages('user', 'test_divide fails in calc.py; please fix it'),
  'gen_ai.output.messages': messages('assistant', 'I will run the tests first.'),
  'gen_ai.usage.input_tokens': 120,
  'gen_ai.usage.output_tokens': 12,
});
child('execute_tool read_file', 3, 4, {
  'gen_ai.operation.name': 'execute_tool',
  'gen_ai.tool.name': 'read_file',
  'gen_ai.tool.call.id': 'call_1',
  'gen_ai.tool.call.arguments': JSON.stringify({ path: 'calc.py' }),
  'gen_ai.tool.call.result': 'def divide(a, b):\n    return a * b\n',
});
child('chat demo-model-1', 5, 6, {
  'gen_ai.operation.name': 'chat',
  'gen_ai.request.model': 'demo-model-1',
  'gen_ai.response.model': 'demo-model-1',
  'gen_ai.output.messages': messages('assistant', 'divide multiplies; changed it to a / b.'),
  'gen_ai.usage.input_tokens': 300,
  'gen_ai.usage.output_tokens': 20,
});

if (!flags.includes('--no-root')) {
  root.end(at(7));
  spans++;
}

await provider.forceFlush();
let status = null;
if (protobuf) {
  const body = ProtobufTraceSerializer.serializeRequest(memory.getFinishedSpans());
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/x-protobuf' }, body });
  status = response.status;
  await response.arrayBuffer();
  if (!response.ok) {
    console.error(`receiver answered ${response.status}`);
    process.exit(1);
  }
}
await provider.shutdown();
process.stdout.write(JSON.stringify({ traceId: root.spanContext().traceId, spans, status }) + '\n');
