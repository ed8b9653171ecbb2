// The one event the sse scenario streams, shared by mockd's bench mock and the node:http baseline so both put the
// same bytes on the wire: `event:tick\ndata:{"n":1,"msg":"hello"}\n\n`.
export const SSE_EVENT_TYPE = 'tick';
export const SSE_EVENT_DATA = { n: 1, msg: 'hello' };
