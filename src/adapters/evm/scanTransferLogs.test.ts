import { HttpRequestError, LimitExceededRpcError, MethodNotFoundRpcError, RpcRequestError, TimeoutError } from 'viem'
import { describe, expect, it } from 'vitest'
import { isRangeRefusal } from './scanTransferLogs.js'

const url = 'https://eth-mainnet.example/v2/key'
const body = { method: 'eth_getLogs', params: [] }
/** What viem's http transport throws when the node answers a JSON-RPC error, wrapped as viem's request layer wraps it. */
const answered = (code: number, message: string) => {
  const request = new RpcRequestError({ body, error: { code, message }, url })
  return code === -32005 ? new LimitExceededRpcError(request) : code === -32601 ? new MethodNotFoundRpcError(request) : request
}

describe('isRangeRefusal', () => {
  it.each([
    ['Alchemy', answered(-32602, 'Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on the response size.')],
    ['Infura', answered(-32005, 'query returned more than 10000 results')],
    ['a node with a block cap', answered(-32000, 'exceed maximum block range: 5000')],
    ['a node in other words', answered(-32000, 'invalid block range params')],
    ['an HTTP 400 that says so', new HttpRequestError({ url, status: 400, details: 'block range is too wide' })],
  ])('takes the refusal of %s as a range too large', (_who, error) => {
    expect(isRangeRefusal(error)).toBe(true)
  })

  it.each([
    ['a rate limit', answered(-32005, 'daily request count exceeded, request rate limited')],
    ['an unknown method', answered(-32601, 'the method eth_getLogs does not exist/is not available')],
    ['HTTP 503', new HttpRequestError({ url, status: 503, details: 'Service Unavailable' })],
    ['HTTP 429', new HttpRequestError({ url, status: 429, details: 'Too Many Requests' })],
    ['a timeout', new TimeoutError({ body, url })],
    ['a value that is not an error', 'ECONNRESET'],
  ])('does not take %s as a range too large', (_what, error) => {
    expect(isRangeRefusal(error)).toBe(false)
  })
})
