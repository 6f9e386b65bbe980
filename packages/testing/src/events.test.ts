import {
  bedrockActionGroupEvent,
  eventBridgeEvent,
  httpApiEvent,
  webSocketConnectEvent,
  webSocketDisconnectEvent,
} from './events';

describe('httpApiEvent', () => {
  it('builds a payload v2 event with a JSON body, bearer token and claims from the token', () => {
    // Prepare
    const payload = Buffer.from(JSON.stringify({ sub: 'u1', tenantId: 'tenant-a', scope: 'a b' })).toString(
      'base64url',
    );
    const token = `eyJhbGciOiJSUzI1NiJ9.${payload}.sig`;

    // Act
    const event = httpApiEvent({ method: 'post', path: '/prompts', body: { prompt: 'hi' }, token });

    // Assess
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /prompts',
      rawPath: '/prompts',
      rawQueryString: '',
      body: '{"prompt":"hi"}',
      isBase64Encoded: false,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      requestContext: {
        http: { method: 'POST', path: '/prompts', protocol: 'HTTP/1.1' },
        routeKey: 'POST /prompts',
        stage: '$default',
        authorizer: { jwt: { claims: { sub: 'u1', tenantId: 'tenant-a' }, scopes: ['a', 'b'] } },
      },
    });
    expect(event.requestContext.time).toMatch(/^\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(event.requestContext.requestId).toBeTruthy();
  });

  it('keeps string bodies, lowercases headers and passes explicit claims and parameters', () => {
    // Act
    const event = httpApiEvent({
      method: 'GET',
      path: '/answers/abc',
      routeKey: 'GET /answers/{answerId}',
      body: 'not json',
      headers: { 'X-Custom': '1' },
      claims: { sub: 'u2' },
      pathParameters: { answerId: 'abc' },
      queryStringParameters: { conversationId: 'c 1' },
    });

    // Assess
    expect(event.body).toBe('not json');
    expect(event.headers['x-custom']).toBe('1');
    expect(event.headers.authorization).toBeUndefined();
    expect(event.routeKey).toBe('GET /answers/{answerId}');
    expect(event.requestContext.authorizer.jwt).toEqual({ claims: { sub: 'u2' }, scopes: null });
    expect(event.pathParameters).toEqual({ answerId: 'abc' });
    expect(event.queryStringParameters).toEqual({ conversationId: 'c 1' });
    expect(event.rawQueryString).toBe('conversationId=c+1');
  });

  it('leaves the body out and claims empty when neither is given', () => {
    // Act
    const event = httpApiEvent({});

    // Assess
    expect(event).not.toHaveProperty('body');
    expect(event.requestContext.authorizer.jwt.claims).toEqual({});
  });
});

describe('webSocketConnectEvent', () => {
  it('builds a $connect event with the token in the query string', () => {
    // Act
    const event = webSocketConnectEvent({
      connectionId: 'conn-1',
      token: 't',
      headers: { Origin: 'https://app' },
    });

    // Assess
    expect(event.requestContext).toMatchObject({
      routeKey: '$connect',
      eventType: 'CONNECT',
      connectionId: 'conn-1',
      domainName: 'ws.example.test',
      stage: 'dev',
      messageDirection: 'IN',
    });
    expect(event.queryStringParameters).toEqual({ token: 't' });
    expect(event.headers?.origin).toBe('https://app');
  });

  it('generates a connection id and omits the query string when there is none', () => {
    // Act
    const event = webSocketConnectEvent({});

    // Assess
    expect(event.requestContext.connectionId).toMatch(/^[0-9a-f]{14}=$/);
    expect(event).not.toHaveProperty('queryStringParameters');
  });
});

describe('webSocketDisconnectEvent', () => {
  it('builds a $disconnect event for the connection', () => {
    // Act
    const event = webSocketDisconnectEvent({ connectionId: 'conn-1' });

    // Assess
    expect(event.requestContext).toMatchObject({
      routeKey: '$disconnect',
      eventType: 'DISCONNECT',
      connectionId: 'conn-1',
    });
  });
});

describe('eventBridgeEvent', () => {
  it('builds the event a Lambda target receives', () => {
    // Act
    const event = eventBridgeEvent({
      detailType: 'PromptSubmitted',
      source: 'tenant-assistant.chat-api',
      detail: { tenantId: 'tenant-a' },
      id: 'id-1',
    });

    // Assess
    expect(event).toEqual({
      version: '0',
      id: 'id-1',
      'detail-type': 'PromptSubmitted',
      source: 'tenant-assistant.chat-api',
      account: '123456789012',
      time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
      region: 'us-east-1',
      resources: [],
      detail: { tenantId: 'tenant-a' },
    });
  });
});

describe('bedrockActionGroupEvent', () => {
  it('builds the function-details envelope with string parameter values', () => {
    // Act
    const event = bedrockActionGroupEvent({
      function: 'listOrders',
      parameters: { status: 'SHIPPED', limit: 5, ratio: 0.5 },
      sessionAttributes: { tenantId: 'tenant-a', userId: 'u1' },
    });

    // Assess
    expect(event).toMatchObject({
      messageVersion: '1.0',
      agent: {
        name: expect.any(String),
        id: expect.any(String),
        alias: expect.any(String),
        version: 'DRAFT',
      },
      inputText: expect.any(String),
      actionGroup: 'order-actions',
      function: 'listOrders',
      parameters: [
        { name: 'status', type: 'string', value: 'SHIPPED' },
        { name: 'limit', type: 'integer', value: '5' },
        { name: 'ratio', type: 'number', value: '0.5' },
      ],
      sessionAttributes: { tenantId: 'tenant-a', userId: 'u1' },
      promptSessionAttributes: {},
    });
    expect(event.sessionId.startsWith('u1.')).toBe(true);
  });

  it('keeps parameters given as an array and empty attributes by default', () => {
    // Prepare
    const parameters = [{ name: 'orderId', type: 'string', value: 'o-1' }];

    // Act
    const event = bedrockActionGroupEvent({ function: 'getOrder', parameters, sessionId: 's-1' });

    // Assess
    expect(event.parameters).toEqual(parameters);
    expect(event.sessionId).toBe('s-1');
    expect(event.sessionAttributes).toEqual({});
  });
});
