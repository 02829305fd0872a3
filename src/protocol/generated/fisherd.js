/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
const $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError, $TypeError = $util.global.TypeError, $Number = $util.global.Number, $String = $util.global.String, $Array = $util.global.Array, $isFinite = $util.global.isFinite, $Boolean = $util.global.Boolean, $parseInt = $util.global.parseInt, $BigInt = $util.global.BigInt;

// Exported root namespace
const $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});

export const fisherd = $root.fisherd = (() => {

    /**
     * Namespace fisherd.
     * @exports fisherd
     * @namespace
     */
    const fisherd = {};

    fisherd.v1 = (function() {

        /**
         * Namespace v1.
         * @memberof fisherd
         * @namespace
         */
        const v1 = {};

        /**
         * The protocol version this schema describes. A client sends it in Hello; the daemon refuses any other
         * with Error{code: ERROR_CODE_UNSUPPORTED_VERSION} and closes the connection with 1002.
         * @name fisherd.v1.ProtocolVersion
         * @enum {number}
         * @property {number} PROTOCOL_VERSION_UNSPECIFIED=0 PROTOCOL_VERSION_UNSPECIFIED value
         * @property {number} PROTOCOL_VERSION_CURRENT=1 PROTOCOL_VERSION_CURRENT value
         */
        v1.ProtocolVersion = (function() {
            const valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "PROTOCOL_VERSION_UNSPECIFIED"] = 0;
            values[valuesById[1] = "PROTOCOL_VERSION_CURRENT"] = 1;
            return values;
        })();

        v1.ClientMessage = (function() {

            /**
             * Properties of a ClientMessage.
             * @typedef {Object} fisherd.v1.ClientMessage.$Properties
             * @property {number|null} [requestId] Chosen by the client and echoed as `ServerMessage.request_id` in the reply (or error) this message
             * causes, so that a client can match replies to requests. 0 = none.
             * @property {fisherd.v1.Hello.$Properties|null} [hello] ClientMessage hello
             * @property {fisherd.v1.OpenSession.$Properties|null} [openSession] ClientMessage openSession
             * @property {fisherd.v1.StepContribution.$Properties|null} [step] ClientMessage step
             * @property {fisherd.v1.EstimatesRequest.$Properties|null} [estimatesRequest] ClientMessage estimatesRequest
             * @property {fisherd.v1.CloseSession.$Properties|null} [closeSession] ClientMessage closeSession
             * @property {fisherd.v1.SharedMemoryOffer.$Properties|null} [sharedMemoryOffer] ClientMessage sharedMemoryOffer
             * @property {fisherd.v1.MessageRef.$Properties|null} [messageRef] Only after SharedMemoryAccepted: the message is in the request file.
             * @property {"hello"|"openSession"|"step"|"estimatesRequest"|"closeSession"|"sharedMemoryOffer"|"messageRef"} [kind] ClientMessage kind
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ClientMessage.
             * @memberof fisherd.v1
             * @interface IClientMessage
             * @augments fisherd.v1.ClientMessage.$Properties
             * @deprecated Use fisherd.v1.ClientMessage.$Properties instead.
             */

            /**
             * Narrowed shape of a ClientMessage.
             * @typedef {{
             *   requestId?: number|null;
             *   hello?: fisherd.v1.Hello.$Shape|null;
             *   openSession?: fisherd.v1.OpenSession.$Shape|null;
             *   step?: fisherd.v1.StepContribution.$Shape|null;
             *   estimatesRequest?: fisherd.v1.EstimatesRequest.$Shape|null;
             *   closeSession?: fisherd.v1.CloseSession.$Shape|null;
             *   sharedMemoryOffer?: fisherd.v1.SharedMemoryOffer.$Shape|null;
             *   messageRef?: fisherd.v1.MessageRef.$Shape|null;
             *   $unknowns?: Array.<Uint8Array>;
             * } & (
             *   ({ kind?: undefined; hello?: null; openSession?: null; step?: null; estimatesRequest?: null; closeSession?: null; sharedMemoryOffer?: null; messageRef?: null }|{ kind?: "hello"; hello: fisherd.v1.Hello.$Shape; openSession?: null; step?: null; estimatesRequest?: null; closeSession?: null; sharedMemoryOffer?: null; messageRef?: null }|{ kind?: "openSession"; hello?: null; openSession: fisherd.v1.OpenSession.$Shape; step?: null; estimatesRequest?: null; closeSession?: null; sharedMemoryOffer?: null; messageRef?: null }|{ kind?: "step"; hello?: null; openSession?: null; step: fisherd.v1.StepContribution.$Shape; estimatesRequest?: null; closeSession?: null; sharedMemoryOffer?: null; messageRef?: null }|{ kind?: "estimatesRequest"; hello?: null; openSession?: null; step?: null; estimatesRequest: fisherd.v1.EstimatesRequest.$Shape; closeSession?: null; sharedMemoryOffer?: null; messageRef?: null }|{ kind?: "closeSession"; hello?: null; openSession?: null; step?: null; estimatesRequest?: null; closeSession: fisherd.v1.CloseSession.$Shape; sharedMemoryOffer?: null; messageRef?: null }|{ kind?: "sharedMemoryOffer"; hello?: null; openSession?: null; step?: null; estimatesRequest?: null; closeSession?: null; sharedMemoryOffer: fisherd.v1.SharedMemoryOffer.$Shape; messageRef?: null }|{ kind?: "messageRef"; hello?: null; openSession?: null; step?: null; estimatesRequest?: null; closeSession?: null; sharedMemoryOffer?: null; messageRef: fisherd.v1.MessageRef.$Shape })
             * )} fisherd.v1.ClientMessage.$Shape
             */

            /**
             * Constructs a new ClientMessage.
             * @memberof fisherd.v1
             * @classdesc Represents a ClientMessage.
             * @constructor
             * @param {fisherd.v1.ClientMessage.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ClientMessage = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Chosen by the client and echoed as `ServerMessage.request_id` in the reply (or error) this message
             * causes, so that a client can match replies to requests. 0 = none.
             * @member {number} requestId
             * @memberof fisherd.v1.ClientMessage
             * @instance
             */
            ClientMessage.prototype.requestId = 0;

            /**
             * ClientMessage hello.
             * @member {fisherd.v1.Hello.$Properties|null|undefined} hello
             * @memberof fisherd.v1.ClientMessage
             * @instance
             */
            ClientMessage.prototype.hello = null;

            /**
             * ClientMessage openSession.
             * @member {fisherd.v1.OpenSession.$Properties|null|undefined} openSession
             * @memberof fisherd.v1.ClientMessage
             * @instance
             */
            ClientMessage.prototype.openSession = null;

            /**
             * ClientMessage step.
             * @member {fisherd.v1.StepContribution.$Properties|null|undefined} step
             * @memberof fisherd.v1.ClientMessage
             * @instance
             */
            ClientMessage.prototype.step = null;

            /**
             * ClientMessage estimatesRequest.
             * @member {fisherd.v1.EstimatesRequest.$Properties|null|undefined} estimatesRequest
             * @memberof fisherd.v1.ClientMessage
             * @instance
             */
            ClientMessage.prototype.estimatesRequest = null;

            /**
             * ClientMessage closeSession.
             * @member {fisherd.v1.CloseSession.$Properties|null|undefined} closeSession
             * @memberof fisherd.v1.ClientMessage
             * @instance
             */
            ClientMessage.prototype.closeSession = null;

            /**
             * ClientMessage sharedMemoryOffer.
             * @member {fisherd.v1.SharedMemoryOffer.$Properties|null|undefined} sharedMemoryOffer
             * @memberof fisherd.v1.ClientMessage
             * @instance
             */
            ClientMessage.prototype.sharedMemoryOffer = null;

            /**
             * Only after SharedMemoryAccepted: the message is in the request file.
             * @member {fisherd.v1.MessageRef.$Properties|null|undefined} messageRef
             * @memberof fisherd.v1.ClientMessage
             * @instance
             */
            ClientMessage.prototype.messageRef = null;

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            /**
             * ClientMessage kind.
             * @member {"hello"|"openSession"|"step"|"estimatesRequest"|"closeSession"|"sharedMemoryOffer"|"messageRef"|undefined} kind
             * @memberof fisherd.v1.ClientMessage
             * @instance
             */
            $Object.defineProperty(ClientMessage.prototype, "kind", {
                get: $util.oneOfGetter($oneOfFields = ["hello", "openSession", "step", "estimatesRequest", "closeSession", "sharedMemoryOffer", "messageRef"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new ClientMessage instance using the specified properties.
             * @function create
             * @memberof fisherd.v1.ClientMessage
             * @static
             * @param {fisherd.v1.ClientMessage.$Properties=} [properties] Properties to set
             * @returns {fisherd.v1.ClientMessage} ClientMessage instance
             * @type {{
             *   (properties: fisherd.v1.ClientMessage.$Shape): fisherd.v1.ClientMessage & fisherd.v1.ClientMessage.$Shape;
             *   (properties?: fisherd.v1.ClientMessage.$Properties): fisherd.v1.ClientMessage;
             * }}
             */
            ClientMessage.create = function(properties) {
                return new ClientMessage(properties);
            };

            /**
             * Encodes the specified ClientMessage message. Does not implicitly {@link fisherd.v1.ClientMessage.verify|verify} messages.
             * @function encode
             * @memberof fisherd.v1.ClientMessage
             * @static
             * @param {fisherd.v1.ClientMessage.$Properties} message ClientMessage message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ClientMessage.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.requestId != null && $Object.hasOwnProperty.call(message, "requestId") && message.requestId !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.requestId);
                if (message.hello != null && $Object.hasOwnProperty.call(message, "hello"))
                    $root.fisherd.v1.Hello.encode(message.hello, writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                if (message.openSession != null && $Object.hasOwnProperty.call(message, "openSession"))
                    $root.fisherd.v1.OpenSession.encode(message.openSession, writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                if (message.step != null && $Object.hasOwnProperty.call(message, "step"))
                    $root.fisherd.v1.StepContribution.encode(message.step, writer.uint32(/* id 4, wireType 2 =*/34).fork(), _depth + 1).ldelim();
                if (message.estimatesRequest != null && $Object.hasOwnProperty.call(message, "estimatesRequest"))
                    $root.fisherd.v1.EstimatesRequest.encode(message.estimatesRequest, writer.uint32(/* id 5, wireType 2 =*/42).fork(), _depth + 1).ldelim();
                if (message.closeSession != null && $Object.hasOwnProperty.call(message, "closeSession"))
                    $root.fisherd.v1.CloseSession.encode(message.closeSession, writer.uint32(/* id 6, wireType 2 =*/50).fork(), _depth + 1).ldelim();
                if (message.sharedMemoryOffer != null && $Object.hasOwnProperty.call(message, "sharedMemoryOffer"))
                    $root.fisherd.v1.SharedMemoryOffer.encode(message.sharedMemoryOffer, writer.uint32(/* id 7, wireType 2 =*/58).fork(), _depth + 1).ldelim();
                if (message.messageRef != null && $Object.hasOwnProperty.call(message, "messageRef"))
                    $root.fisherd.v1.MessageRef.encode(message.messageRef, writer.uint32(/* id 8, wireType 2 =*/66).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a ClientMessage message from the specified reader or buffer.
             * @function decode
             * @memberof fisherd.v1.ClientMessage
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fisherd.v1.ClientMessage & fisherd.v1.ClientMessage.$Shape} ClientMessage
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ClientMessage.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fisherd.v1.ClientMessage();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.requestId = value;
                            else
                                delete message.requestId;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            message.hello = $root.fisherd.v1.Hello.decode(reader, reader.size(), $undefined, _depth + 1, message.hello);
                            message.kind = "hello";
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            message.openSession = $root.fisherd.v1.OpenSession.decode(reader, reader.size(), $undefined, _depth + 1, message.openSession);
                            message.kind = "openSession";
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            message.step = $root.fisherd.v1.StepContribution.decode(reader, reader.size(), $undefined, _depth + 1, message.step);
                            message.kind = "step";
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            message.estimatesRequest = $root.fisherd.v1.EstimatesRequest.decode(reader, reader.size(), $undefined, _depth + 1, message.estimatesRequest);
                            message.kind = "estimatesRequest";
                            continue;
                        }
                    case 6: {
                            if (wireType !== 2)
                                break;
                            message.closeSession = $root.fisherd.v1.CloseSession.decode(reader, reader.size(), $undefined, _depth + 1, message.closeSession);
                            message.kind = "closeSession";
                            continue;
                        }
                    case 7: {
                            if (wireType !== 2)
                                break;
                            message.sharedMemoryOffer = $root.fisherd.v1.SharedMemoryOffer.decode(reader, reader.size(), $undefined, _depth + 1, message.sharedMemoryOffer);
                            message.kind = "sharedMemoryOffer";
                            continue;
                        }
                    case 8: {
                            if (wireType !== 2)
                                break;
                            message.messageRef = $root.fisherd.v1.MessageRef.decode(reader, reader.size(), $undefined, _depth + 1, message.messageRef);
                            message.kind = "messageRef";
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a ClientMessage message.
             * @function verify
             * @memberof fisherd.v1.ClientMessage
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            ClientMessage.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                let properties = {};
                if (message.requestId != null && $Object.hasOwnProperty.call(message, "requestId"))
                    if (!$util.isInteger(message.requestId))
                        return "requestId: integer expected";
                if (message.hello != null && $Object.hasOwnProperty.call(message, "hello")) {
                    properties.kind = 1;
                    {
                        let error = $root.fisherd.v1.Hello.verify(message.hello, _depth + 1);
                        if (error)
                            return "hello." + error;
                    }
                }
                if (message.openSession != null && $Object.hasOwnProperty.call(message, "openSession")) {
                    if (properties.kind === 1)
                        return "kind: multiple values";
                    properties.kind = 1;
                    {
                        let error = $root.fisherd.v1.OpenSession.verify(message.openSession, _depth + 1);
                        if (error)
                            return "openSession." + error;
                    }
                }
                if (message.step != null && $Object.hasOwnProperty.call(message, "step")) {
                    if (properties.kind === 1)
                        return "kind: multiple values";
                    properties.kind = 1;
                    {
                        let error = $root.fisherd.v1.StepContribution.verify(message.step, _depth + 1);
                        if (error)
                            return "step." + error;
                    }
                }
                if (message.estimatesRequest != null && $Object.hasOwnProperty.call(message, "estimatesRequest")) {
                    if (properties.kind === 1)
                        return "kind: multiple values";
                    properties.kind = 1;
                    {
                        let error = $root.fisherd.v1.EstimatesRequest.verify(message.estimatesRequest, _depth + 1);
                        if (error)
                            return "estimatesRequest." + error;
                    }
                }
                if (message.closeSession != null && $Object.hasOwnProperty.call(message, "closeSession")) {
                    if (properties.kind === 1)
                        return "kind: multiple values";
                    properties.kind = 1;
                    {
                        let error = $root.fisherd.v1.CloseSession.verify(message.closeSession, _depth + 1);
                        if (error)
                            return "closeSession." + error;
                    }
                }
                if (message.sharedMemoryOffer != null && $Object.hasOwnProperty.call(message, "sharedMemoryOffer")) {
                    if (properties.kind === 1)
                        return "kind: multiple values";
                    properties.kind = 1;
                    {
                        let error = $root.fisherd.v1.SharedMemoryOffer.verify(message.sharedMemoryOffer, _depth + 1);
                        if (error)
                            return "sharedMemoryOffer." + error;
                    }
                }
                if (message.messageRef != null && $Object.hasOwnProperty.call(message, "messageRef")) {
                    if (properties.kind === 1)
                        return "kind: multiple values";
                    properties.kind = 1;
                    {
                        let error = $root.fisherd.v1.MessageRef.verify(message.messageRef, _depth + 1);
                        if (error)
                            return "messageRef." + error;
                    }
                }
                return null;
            };

            /**
             * Creates a ClientMessage message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fisherd.v1.ClientMessage
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fisherd.v1.ClientMessage} ClientMessage
             */
            ClientMessage.fromObject = function (object, _depth) {
                if (object instanceof $root.fisherd.v1.ClientMessage)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fisherd.v1.ClientMessage: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fisherd.v1.ClientMessage();
                if (object.requestId != null)
                    if ($Number(object.requestId) !== 0)
                        message.requestId = object.requestId >>> 0;
                if (object.hello != null) {
                    if (!$util.isObject(object.hello))
                        throw $TypeError(".fisherd.v1.ClientMessage.hello: object expected");
                    message.hello = $root.fisherd.v1.Hello.fromObject(object.hello, _depth + 1);
                }
                if (object.openSession != null) {
                    if (!$util.isObject(object.openSession))
                        throw $TypeError(".fisherd.v1.ClientMessage.openSession: object expected");
                    message.openSession = $root.fisherd.v1.OpenSession.fromObject(object.openSession, _depth + 1);
                }
                if (object.step != null) {
                    if (!$util.isObject(object.step))
                        throw $TypeError(".fisherd.v1.ClientMessage.step: object expected");
                    message.step = $root.fisherd.v1.StepContribution.fromObject(object.step, _depth + 1);
                }
                if (object.estimatesRequest != null) {
                    if (!$util.isObject(object.estimatesRequest))
                        throw $TypeError(".fisherd.v1.ClientMessage.estimatesRequest: object expected");
                    message.estimatesRequest = $root.fisherd.v1.EstimatesRequest.fromObject(object.estimatesRequest, _depth + 1);
                }
                if (object.closeSession != null) {
                    if (!$util.isObject(object.closeSession))
                        throw $TypeError(".fisherd.v1.ClientMessage.closeSession: object expected");
                    message.closeSession = $root.fisherd.v1.CloseSession.fromObject(object.closeSession, _depth + 1);
                }
                if (object.sharedMemoryOffer != null) {
                    if (!$util.isObject(object.sharedMemoryOffer))
                        throw $TypeError(".fisherd.v1.ClientMessage.sharedMemoryOffer: object expected");
                    message.sharedMemoryOffer = $root.fisherd.v1.SharedMemoryOffer.fromObject(object.sharedMemoryOffer, _depth + 1);
                }
                if (object.messageRef != null) {
                    if (!$util.isObject(object.messageRef))
                        throw $TypeError(".fisherd.v1.ClientMessage.messageRef: object expected");
                    message.messageRef = $root.fisherd.v1.MessageRef.fromObject(object.messageRef, _depth + 1);
                }
                return message;
            };

            /**
             * Creates a plain object from a ClientMessage message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fisherd.v1.ClientMessage
             * @static
             * @param {fisherd.v1.ClientMessage} message ClientMessage
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            ClientMessage.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults)
                    object.requestId = 0;
                if (message.requestId != null && $Object.hasOwnProperty.call(message, "requestId"))
                    object.requestId = message.requestId;
                if (message.hello != null && $Object.hasOwnProperty.call(message, "hello")) {
                    object.hello = $root.fisherd.v1.Hello.toObject(message.hello, options, _depth + 1);
                    if (options.oneofs)
                        object.kind = "hello";
                }
                if (message.openSession != null && $Object.hasOwnProperty.call(message, "openSession")) {
                    object.openSession = $root.fisherd.v1.OpenSession.toObject(message.openSession, options, _depth + 1);
                    if (options.oneofs)
                        object.kind = "openSession";
                }
                if (message.step != null && $Object.hasOwnProperty.call(message, "step")) {
                    object.step = $root.fisherd.v1.StepContribution.toObject(message.step, options, _depth + 1);
                    if (options.oneofs)
                        object.kind = "step";
                }
                if (message.estimatesRequest != null && $Object.hasOwnProperty.call(message, "estimatesRequest")) {
                    object.estimatesRequest = $root.fisherd.v1.EstimatesRequest.toObject(message.estimatesRequest, options, _depth + 1);
                    if (options.oneofs)
                        object.kind = "estimatesRequest";
                }
                if (message.closeSession != null && $Object.hasOwnProperty.call(message, "closeSession")) {
                    object.closeSession = $root.fisherd.v1.CloseSession.toObject(message.closeSession, options, _depth + 1);
                    if (options.oneofs)
                        object.kind = "closeSession";
                }
                if (message.sharedMemoryOffer != null && $Object.hasOwnProperty.call(message, "sharedMemoryOffer")) {
                    object.sharedMemoryOffer = $root.fisherd.v1.SharedMemoryOffer.toObject(message.sharedMemoryOffer, options, _depth + 1);
                    if (options.oneofs)
                        object.kind = "sharedMemoryOffer";
                }
                if (message.messageRef != null && $Object.hasOwnProperty.call(message, "messageRef")) {
                    object.messageRef = $root.fisherd.v1.MessageRef.toObject(message.messageRef, options, _depth + 1);
                    if (options.oneofs)
                        object.kind = "messageRef";
                }
                return object;
            };

            /**
             * Converts this ClientMessage to JSON.
             * @function toJSON
             * @memberof fisherd.v1.ClientMessage
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            ClientMessage.prototype.toJSON = function() {
                return ClientMessage.toObject(this, $protobuf.util.toJSONOptions);
            };

            return ClientMessage;
        })();

        v1.Hello = (function() {

            /**
             * Properties of a Hello.
             * @typedef {Object} fisherd.v1.Hello.$Properties
             * @property {number|null} [protocolVersion] Must equal PROTOCOL_VERSION_CURRENT (1).
             * @property {string|null} [token] Optional. The bearer token is checked on the HTTP upgrade (`Authorization: Bearer <token>`); when this
             * field is set as well, it must also match (a client can assert it reached the daemon it was configured for).
             * @property {string|null} [clientName] Free-form name of the client, for logs (e.g. "train.py worker 3").
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Hello.
             * @memberof fisherd.v1
             * @interface IHello
             * @augments fisherd.v1.Hello.$Properties
             * @deprecated Use fisherd.v1.Hello.$Properties instead.
             */

            /**
             * Shape of a Hello.
             * @typedef {fisherd.v1.Hello.$Properties} fisherd.v1.Hello.$Shape
             */

            /**
             * Constructs a new Hello.
             * @memberof fisherd.v1
             * @classdesc The first message on every connection.
             * @constructor
             * @param {fisherd.v1.Hello.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Hello = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Must equal PROTOCOL_VERSION_CURRENT (1).
             * @member {number} protocolVersion
             * @memberof fisherd.v1.Hello
             * @instance
             */
            Hello.prototype.protocolVersion = 0;

            /**
             * Optional. The bearer token is checked on the HTTP upgrade (`Authorization: Bearer <token>`); when this
             * field is set as well, it must also match (a client can assert it reached the daemon it was configured for).
             * @member {string} token
             * @memberof fisherd.v1.Hello
             * @instance
             */
            Hello.prototype.token = "";

            /**
             * Free-form name of the client, for logs (e.g. "train.py worker 3").
             * @member {string} clientName
             * @memberof fisherd.v1.Hello
             * @instance
             */
            Hello.prototype.clientName = "";

            /**
             * Creates a new Hello instance using the specified properties.
             * @function create
             * @memberof fisherd.v1.Hello
             * @static
             * @param {fisherd.v1.Hello.$Properties=} [properties] Properties to set
             * @returns {fisherd.v1.Hello} Hello instance
             * @type {{
             *   (properties: fisherd.v1.Hello.$Shape): fisherd.v1.Hello & fisherd.v1.Hello.$Shape;
             *   (properties?: fisherd.v1.Hello.$Properties): fisherd.v1.Hello;
             * }}
             */
            Hello.create = function(properties) {
                return new Hello(properties);
            };

            /**
             * Encodes the specified Hello message. Does not implicitly {@link fisherd.v1.Hello.verify|verify} messages.
             * @function encode
             * @memberof fisherd.v1.Hello
             * @static
             * @param {fisherd.v1.Hello.$Properties} message Hello message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Hello.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.protocolVersion != null && $Object.hasOwnProperty.call(message, "protocolVersion") && message.protocolVersion !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.protocolVersion);
                if (message.token != null && $Object.hasOwnProperty.call(message, "token") && message.token !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.token);
                if (message.clientName != null && $Object.hasOwnProperty.call(message, "clientName") && message.clientName !== "")
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.clientName);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a Hello message from the specified reader or buffer.
             * @function decode
             * @memberof fisherd.v1.Hello
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fisherd.v1.Hello & fisherd.v1.Hello.$Shape} Hello
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Hello.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fisherd.v1.Hello();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.protocolVersion = value;
                            else
                                delete message.protocolVersion;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.token = value;
                            else
                                delete message.token;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.clientName = value;
                            else
                                delete message.clientName;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a Hello message.
             * @function verify
             * @memberof fisherd.v1.Hello
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            Hello.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.protocolVersion != null && $Object.hasOwnProperty.call(message, "protocolVersion"))
                    if (!$util.isInteger(message.protocolVersion))
                        return "protocolVersion: integer expected";
                if (message.token != null && $Object.hasOwnProperty.call(message, "token"))
                    if (!$util.isString(message.token))
                        return "token: string expected";
                if (message.clientName != null && $Object.hasOwnProperty.call(message, "clientName"))
                    if (!$util.isString(message.clientName))
                        return "clientName: string expected";
                return null;
            };

            /**
             * Creates a Hello message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fisherd.v1.Hello
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fisherd.v1.Hello} Hello
             */
            Hello.fromObject = function (object, _depth) {
                if (object instanceof $root.fisherd.v1.Hello)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fisherd.v1.Hello: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fisherd.v1.Hello();
                if (object.protocolVersion != null)
                    if ($Number(object.protocolVersion) !== 0)
                        message.protocolVersion = object.protocolVersion >>> 0;
                if (object.token != null)
                    if (typeof object.token !== "string" || object.token.length)
                        message.token = $String(object.token);
                if (object.clientName != null)
                    if (typeof object.clientName !== "string" || object.clientName.length)
                        message.clientName = $String(object.clientName);
                return message;
            };

            /**
             * Creates a plain object from a Hello message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fisherd.v1.Hello
             * @static
             * @param {fisherd.v1.Hello} message Hello
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Hello.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.protocolVersion = 0;
                    object.token = "";
                    object.clientName = "";
                }
                if (message.protocolVersion != null && $Object.hasOwnProperty.call(message, "protocolVersion"))
                    object.protocolVersion = message.protocolVersion;
                if (message.token != null && $Object.hasOwnProperty.call(message, "token"))
                    object.token = message.token;
                if (message.clientName != null && $Object.hasOwnProperty.call(message, "clientName"))
                    object.clientName = message.clientName;
                return object;
            };

            /**
             * Converts this Hello to JSON.
             * @function toJSON
             * @memberof fisherd.v1.Hello
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Hello.prototype.toJSON = function() {
                return Hello.toObject(this, $protobuf.util.toJSONOptions);
            };

            return Hello;
        })();

        v1.OpenSession = (function() {

            /**
             * Properties of an OpenSession.
             * @typedef {Object} fisherd.v1.OpenSession.$Properties
             * @property {fisherd.v1.SessionConfig.$Properties|null} [config] Required when creating; ignored when attaching (the session keeps its own configuration, returned
             * in SessionOpened.config).
             * @property {string|null} [sessionId] The session to attach to; empty creates a new session.
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an OpenSession.
             * @memberof fisherd.v1
             * @interface IOpenSession
             * @augments fisherd.v1.OpenSession.$Properties
             * @deprecated Use fisherd.v1.OpenSession.$Properties instead.
             */

            /**
             * Shape of an OpenSession.
             * @typedef {{
             *   config?: fisherd.v1.SessionConfig.$Shape|null;
             *   sessionId?: string|null;
             *   $unknowns?: Array.<Uint8Array>;
             * }} fisherd.v1.OpenSession.$Shape
             */

            /**
             * Constructs a new OpenSession.
             * @memberof fisherd.v1
             * @classdesc Creates a session (no session_id) or attaches to an existing one (session_id set): a worker joining a
             * running session, a client reconnecting, or a client resuming after a daemon restart from the last
             * checkpoint in the daemon's data directory.
             * @constructor
             * @param {fisherd.v1.OpenSession.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const OpenSession = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Required when creating; ignored when attaching (the session keeps its own configuration, returned
             * in SessionOpened.config).
             * @member {fisherd.v1.SessionConfig.$Properties|null|undefined} config
             * @memberof fisherd.v1.OpenSession
             * @instance
             */
            OpenSession.prototype.config = null;

            /**
             * The session to attach to; empty creates a new session.
             * @member {string} sessionId
             * @memberof fisherd.v1.OpenSession
             * @instance
             */
            OpenSession.prototype.sessionId = "";

            /**
             * Creates a new OpenSession instance using the specified properties.
             * @function create
             * @memberof fisherd.v1.OpenSession
             * @static
             * @param {fisherd.v1.OpenSession.$Properties=} [properties] Properties to set
             * @returns {fisherd.v1.OpenSession} OpenSession instance
             * @type {{
             *   (properties: fisherd.v1.OpenSession.$Shape): fisherd.v1.OpenSession & fisherd.v1.OpenSession.$Shape;
             *   (properties?: fisherd.v1.OpenSession.$Properties): fisherd.v1.OpenSession;
             * }}
             */
            OpenSession.create = function(properties) {
                return new OpenSession(properties);
            };

            /**
             * Encodes the specified OpenSession message. Does not implicitly {@link fisherd.v1.OpenSession.verify|verify} messages.
             * @function encode
             * @memberof fisherd.v1.OpenSession
             * @static
             * @param {fisherd.v1.OpenSession.$Properties} message OpenSession message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            OpenSession.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.config != null && $Object.hasOwnProperty.call(message, "config"))
                    $root.fisherd.v1.SessionConfig.encode(message.config, writer.uint32(/* id 1, wireType 2 =*/10).fork(), _depth + 1).ldelim();
                if (message.sessionId != null && $Object.hasOwnProperty.call(message, "sessionId") && message.sessionId !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.sessionId);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes an OpenSession message from the specified reader or buffer.
             * @function decode
             * @memberof fisherd.v1.OpenSession
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fisherd.v1.OpenSession & fisherd.v1.OpenSession.$Shape} OpenSession
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            OpenSession.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fisherd.v1.OpenSession();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            message.config = $root.fisherd.v1.SessionConfig.decode(reader, reader.size(), $undefined, _depth + 1, message.config);
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.sessionId = value;
                            else
                                delete message.sessionId;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies an OpenSession message.
             * @function verify
             * @memberof fisherd.v1.OpenSession
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            OpenSession.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.config != null && $Object.hasOwnProperty.call(message, "config")) {
                    let error = $root.fisherd.v1.SessionConfig.verify(message.config, _depth + 1);
                    if (error)
                        return "config." + error;
                }
                if (message.sessionId != null && $Object.hasOwnProperty.call(message, "sessionId"))
                    if (!$util.isString(message.sessionId))
                        return "sessionId: string expected";
                return null;
            };

            /**
             * Creates an OpenSession message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fisherd.v1.OpenSession
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fisherd.v1.OpenSession} OpenSession
             */
            OpenSession.fromObject = function (object, _depth) {
                if (object instanceof $root.fisherd.v1.OpenSession)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fisherd.v1.OpenSession: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fisherd.v1.OpenSession();
                if (object.config != null) {
                    if (!$util.isObject(object.config))
                        throw $TypeError(".fisherd.v1.OpenSession.config: object expected");
                    message.config = $root.fisherd.v1.SessionConfig.fromObject(object.config, _depth + 1);
                }
                if (object.sessionId != null)
                    if (typeof object.sessionId !== "string" || object.sessionId.length)
                        message.sessionId = $String(object.sessionId);
                return message;
            };

            /**
             * Creates a plain object from an OpenSession message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fisherd.v1.OpenSession
             * @static
             * @param {fisherd.v1.OpenSession} message OpenSession
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            OpenSession.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.config = null;
                    object.sessionId = "";
                }
                if (message.config != null && $Object.hasOwnProperty.call(message, "config"))
                    object.config = $root.fisherd.v1.SessionConfig.toObject(message.config, options, _depth + 1);
                if (message.sessionId != null && $Object.hasOwnProperty.call(message, "sessionId"))
                    object.sessionId = message.sessionId;
                return object;
            };

            /**
             * Converts this OpenSession to JSON.
             * @function toJSON
             * @memberof fisherd.v1.OpenSession
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            OpenSession.prototype.toJSON = function() {
                return OpenSession.toObject(this, $protobuf.util.toJSONOptions);
            };

            return OpenSession;
        })();

        v1.StepContribution = (function() {

            /**
             * Properties of a StepContribution.
             * @typedef {Object} fisherd.v1.StepContribution.$Properties
             * @property {number|null} [step] Index of the step, starting at 1; must be the session's next step (last completed step + 1).
             * @property {number|null} [workerId] 0 <= worker_id < SessionConfig.workers; each worker contributes once per step.
             * @property {number|null} [loss] This worker's minibatch loss (as a mean over its examples), for diagnostics only.
             * @property {number|null} [batchSize] b_w, the number of examples in this worker's share of the minibatch (>= 1).
             * @property {fisherd.v1.Reduction|null} [reduction] How the client reduced its loss over the batch before differentiating (required); fisherd rescales
             * the rows to math.md's per-example scale (see Reduction and src/session/contribution.ts).
             * @property {Uint8Array|null} [perExampleGrads] Per-example gradients g_n: batch_size rows of D, row-major little-endian float32
             * (4·batch_size·D bytes).
             * @property {fisherd.v1.SampledLabelGrads.$Properties|null} [sampledLabelGrads] Gradients for labels sampled from the model, K per example: batch_size·K rows of D (example-major).
             * @property {fisherd.v1.FisherFactorRows.$Properties|null} [fisherFactorRows] Exact Fisher (GGN) factor rows u_{n,c} = J_nᵀ (H_n^{1/2})_{:,c}, C per example: batch_size·C rows of D.
             * @property {Uint8Array|null} [meanGrad] The minibatch mean gradient ḡ alone (D floats, little-endian float32), for SGD-type optimizers when
             * no per-example rows are sent. Ignored when per_example_grads is present (ḡ is then their mean).
             * @property {Uint8Array|null} [params] Optional current parameters θ (D floats, little-endian float32), for optimizers that use them
             * (weight decay).
             * @property {Array.<fisherd.v1.BlockStatistics.$Properties>|null} [statistics] Statistics computed by the client from its rows instead of the rows themselves (docs/math.md,
             * "Statistics contributions"): D-vectors of sums per parameter block, b_w-independent in size. A
             * contribution sends either rows (fields 6–9) or statistics, and every worker of a step sends the same
             * kind. Each parameter block appears at most once; together the entries cover all D parameters, either
             * as one entry with an empty `block` (the whole vector) or one per SessionConfig block. Old clients never
             * set this field and are served as before.
             * @property {number|null} [lossAfterPreviousUpdate] Damping adaptation (OptimizerConfig.damping_adaptation; docs/math.md, "Damping adaptation"): the loss
             * of this worker's batch of the PREVIOUS step (mean over its examples), evaluated at the parameters after
             * the previous step's update, L(θ_{t−1} + Δ_{t−1}). Optional: a step whose workers do not all send it
             * skips that adaptation; sessions without adaptation ignore it. Must be finite.
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a StepContribution.
             * @memberof fisherd.v1
             * @interface IStepContribution
             * @augments fisherd.v1.StepContribution.$Properties
             * @deprecated Use fisherd.v1.StepContribution.$Properties instead.
             */

            /**
             * Shape of a StepContribution.
             * @typedef {{
             *   step?: number|null;
             *   workerId?: number|null;
             *   loss?: number|null;
             *   batchSize?: number|null;
             *   reduction?: fisherd.v1.Reduction|null;
             *   perExampleGrads?: Uint8Array|null;
             *   sampledLabelGrads?: fisherd.v1.SampledLabelGrads.$Shape|null;
             *   fisherFactorRows?: fisherd.v1.FisherFactorRows.$Shape|null;
             *   meanGrad?: Uint8Array|null;
             *   params?: Uint8Array|null;
             *   statistics?: Array.<fisherd.v1.BlockStatistics.$Shape>|null;
             *   lossAfterPreviousUpdate?: number|null;
             *   $unknowns?: Array.<Uint8Array>;
             * }} fisherd.v1.StepContribution.$Shape
             */

            /**
             * Constructs a new StepContribution.
             * @memberof fisherd.v1
             * @classdesc One worker's share of one optimization step. With W workers, the daemon waits for all W contributions
             * of a step, merges them weighted by batch size (sample count), computes one update and sends it to
             * every worker. A step that fails validation changes nothing in the session.
             * @constructor
             * @param {fisherd.v1.StepContribution.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const StepContribution = function (properties) {
                this.statistics = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Index of the step, starting at 1; must be the session's next step (last completed step + 1).
             * @member {number} step
             * @memberof fisherd.v1.StepContribution
             * @instance
             */
            StepContribution.prototype.step = 0;

            /**
             * 0 <= worker_id < SessionConfig.workers; each worker contributes once per step.
             * @member {number} workerId
             * @memberof fisherd.v1.StepContribution
             * @instance
             */
            StepContribution.prototype.workerId = 0;

            /**
             * This worker's minibatch loss (as a mean over its examples), for diagnostics only.
             * @member {number|null|undefined} loss
             * @memberof fisherd.v1.StepContribution
             * @instance
             */
            StepContribution.prototype.loss = null;

            /**
             * b_w, the number of examples in this worker's share of the minibatch (>= 1).
             * @member {number} batchSize
             * @memberof fisherd.v1.StepContribution
             * @instance
             */
            StepContribution.prototype.batchSize = 0;

            /**
             * How the client reduced its loss over the batch before differentiating (required); fisherd rescales
             * the rows to math.md's per-example scale (see Reduction and src/session/contribution.ts).
             * @member {fisherd.v1.Reduction} reduction
             * @memberof fisherd.v1.StepContribution
             * @instance
             */
            StepContribution.prototype.reduction = 0;

            /**
             * Per-example gradients g_n: batch_size rows of D, row-major little-endian float32
             * (4·batch_size·D bytes).
             * @member {Uint8Array} perExampleGrads
             * @memberof fisherd.v1.StepContribution
             * @instance
             */
            StepContribution.prototype.perExampleGrads = $util.newBuffer([]);

            /**
             * Gradients for labels sampled from the model, K per example: batch_size·K rows of D (example-major).
             * @member {fisherd.v1.SampledLabelGrads.$Properties|null|undefined} sampledLabelGrads
             * @memberof fisherd.v1.StepContribution
             * @instance
             */
            StepContribution.prototype.sampledLabelGrads = null;

            /**
             * Exact Fisher (GGN) factor rows u_{n,c} = J_nᵀ (H_n^{1/2})_{:,c}, C per example: batch_size·C rows of D.
             * @member {fisherd.v1.FisherFactorRows.$Properties|null|undefined} fisherFactorRows
             * @memberof fisherd.v1.StepContribution
             * @instance
             */
            StepContribution.prototype.fisherFactorRows = null;

            /**
             * The minibatch mean gradient ḡ alone (D floats, little-endian float32), for SGD-type optimizers when
             * no per-example rows are sent. Ignored when per_example_grads is present (ḡ is then their mean).
             * @member {Uint8Array} meanGrad
             * @memberof fisherd.v1.StepContribution
             * @instance
             */
            StepContribution.prototype.meanGrad = $util.newBuffer([]);

            /**
             * Optional current parameters θ (D floats, little-endian float32), for optimizers that use them
             * (weight decay).
             * @member {Uint8Array} params
             * @memberof fisherd.v1.StepContribution
             * @instance
             */
            StepContribution.prototype.params = $util.newBuffer([]);

            /**
             * Statistics computed by the client from its rows instead of the rows themselves (docs/math.md,
             * "Statistics contributions"): D-vectors of sums per parameter block, b_w-independent in size. A
             * contribution sends either rows (fields 6–9) or statistics, and every worker of a step sends the same
             * kind. Each parameter block appears at most once; together the entries cover all D parameters, either
             * as one entry with an empty `block` (the whole vector) or one per SessionConfig block. Old clients never
             * set this field and are served as before.
             * @member {Array.<fisherd.v1.BlockStatistics.$Properties>} statistics
             * @memberof fisherd.v1.StepContribution
             * @instance
             */
            StepContribution.prototype.statistics = $util.emptyArray;

            /**
             * Damping adaptation (OptimizerConfig.damping_adaptation; docs/math.md, "Damping adaptation"): the loss
             * of this worker's batch of the PREVIOUS step (mean over its examples), evaluated at the parameters after
             * the previous step's update, L(θ_{t−1} + Δ_{t−1}). Optional: a step whose workers do not all send it
             * skips that adaptation; sessions without adaptation ignore it. Must be finite.
             * @member {number|null|undefined} lossAfterPreviousUpdate
             * @memberof fisherd.v1.StepContribution
             * @instance
             */
            StepContribution.prototype.lossAfterPreviousUpdate = null;

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            // Virtual OneOf for proto3 optional field
            $Object.defineProperty(StepContribution.prototype, "_loss", {
                get: $util.oneOfGetter($oneOfFields = ["loss"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            // Virtual OneOf for proto3 optional field
            $Object.defineProperty(StepContribution.prototype, "_lossAfterPreviousUpdate", {
                get: $util.oneOfGetter($oneOfFields = ["lossAfterPreviousUpdate"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new StepContribution instance using the specified properties.
             * @function create
             * @memberof fisherd.v1.StepContribution
             * @static
             * @param {fisherd.v1.StepContribution.$Properties=} [properties] Properties to set
             * @returns {fisherd.v1.StepContribution} StepContribution instance
             * @type {{
             *   (properties: fisherd.v1.StepContribution.$Shape): fisherd.v1.StepContribution & fisherd.v1.StepContribution.$Shape;
             *   (properties?: fisherd.v1.StepContribution.$Properties): fisherd.v1.StepContribution;
             * }}
             */
            StepContribution.create = function(properties) {
                return new StepContribution(properties);
            };

            /**
             * Encodes the specified StepContribution message. Does not implicitly {@link fisherd.v1.StepContribution.verify|verify} messages.
             * @function encode
             * @memberof fisherd.v1.StepContribution
             * @static
             * @param {fisherd.v1.StepContribution.$Properties} message StepContribution message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            StepContribution.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.step != null && $Object.hasOwnProperty.call(message, "step") && message.step !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.step);
                if (message.workerId != null && $Object.hasOwnProperty.call(message, "workerId") && message.workerId !== 0)
                    writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.workerId);
                if (message.loss != null && $Object.hasOwnProperty.call(message, "loss"))
                    writer.uint32(/* id 3, wireType 1 =*/25).double(message.loss);
                if (message.batchSize != null && $Object.hasOwnProperty.call(message, "batchSize") && message.batchSize !== 0)
                    writer.uint32(/* id 4, wireType 0 =*/32).uint32(message.batchSize);
                if (message.reduction != null && $Object.hasOwnProperty.call(message, "reduction") && message.reduction !== 0)
                    writer.uint32(/* id 5, wireType 0 =*/40).int32(message.reduction);
                if (message.perExampleGrads != null && $Object.hasOwnProperty.call(message, "perExampleGrads") && message.perExampleGrads.length)
                    writer.uint32(/* id 6, wireType 2 =*/50).bytes(message.perExampleGrads);
                if (message.sampledLabelGrads != null && $Object.hasOwnProperty.call(message, "sampledLabelGrads"))
                    $root.fisherd.v1.SampledLabelGrads.encode(message.sampledLabelGrads, writer.uint32(/* id 7, wireType 2 =*/58).fork(), _depth + 1).ldelim();
                if (message.fisherFactorRows != null && $Object.hasOwnProperty.call(message, "fisherFactorRows"))
                    $root.fisherd.v1.FisherFactorRows.encode(message.fisherFactorRows, writer.uint32(/* id 8, wireType 2 =*/66).fork(), _depth + 1).ldelim();
                if (message.meanGrad != null && $Object.hasOwnProperty.call(message, "meanGrad") && message.meanGrad.length)
                    writer.uint32(/* id 9, wireType 2 =*/74).bytes(message.meanGrad);
                if (message.params != null && $Object.hasOwnProperty.call(message, "params") && message.params.length)
                    writer.uint32(/* id 10, wireType 2 =*/82).bytes(message.params);
                if (message.statistics != null && message.statistics.length)
                    for (let i = 0; i < message.statistics.length; ++i)
                        $root.fisherd.v1.BlockStatistics.encode(message.statistics[i], writer.uint32(/* id 11, wireType 2 =*/90).fork(), _depth + 1).ldelim();
                if (message.lossAfterPreviousUpdate != null && $Object.hasOwnProperty.call(message, "lossAfterPreviousUpdate"))
                    writer.uint32(/* id 12, wireType 1 =*/97).double(message.lossAfterPreviousUpdate);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a StepContribution message from the specified reader or buffer.
             * @function decode
             * @memberof fisherd.v1.StepContribution
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fisherd.v1.StepContribution & fisherd.v1.StepContribution.$Shape} StepContribution
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            StepContribution.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fisherd.v1.StepContribution();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.step = value;
                            else
                                delete message.step;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.workerId = value;
                            else
                                delete message.workerId;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 1)
                                break;
                            message.loss = reader.double();
                            message._loss = "loss";
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.batchSize = value;
                            else
                                delete message.batchSize;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.reduction = value;
                            else
                                delete message.reduction;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.perExampleGrads = value;
                            else
                                delete message.perExampleGrads;
                            continue;
                        }
                    case 7: {
                            if (wireType !== 2)
                                break;
                            message.sampledLabelGrads = $root.fisherd.v1.SampledLabelGrads.decode(reader, reader.size(), $undefined, _depth + 1, message.sampledLabelGrads);
                            continue;
                        }
                    case 8: {
                            if (wireType !== 2)
                                break;
                            message.fisherFactorRows = $root.fisherd.v1.FisherFactorRows.decode(reader, reader.size(), $undefined, _depth + 1, message.fisherFactorRows);
                            continue;
                        }
                    case 9: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.meanGrad = value;
                            else
                                delete message.meanGrad;
                            continue;
                        }
                    case 10: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.params = value;
                            else
                                delete message.params;
                            continue;
                        }
                    case 11: {
                            if (wireType !== 2)
                                break;
                            if (!(message.statistics && message.statistics.length))
                                message.statistics = [];
                            message.statistics.push($root.fisherd.v1.BlockStatistics.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    case 12: {
                            if (wireType !== 1)
                                break;
                            message.lossAfterPreviousUpdate = reader.double();
                            message._lossAfterPreviousUpdate = "lossAfterPreviousUpdate";
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a StepContribution message.
             * @function verify
             * @memberof fisherd.v1.StepContribution
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            StepContribution.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                let properties = {};
                if (message.step != null && $Object.hasOwnProperty.call(message, "step"))
                    if (!$util.isInteger(message.step))
                        return "step: integer expected";
                if (message.workerId != null && $Object.hasOwnProperty.call(message, "workerId"))
                    if (!$util.isInteger(message.workerId))
                        return "workerId: integer expected";
                if (message.loss != null && $Object.hasOwnProperty.call(message, "loss")) {
                    properties._loss = 1;
                    if (typeof message.loss !== "number")
                        return "loss: number expected";
                }
                if (message.batchSize != null && $Object.hasOwnProperty.call(message, "batchSize"))
                    if (!$util.isInteger(message.batchSize))
                        return "batchSize: integer expected";
                if (message.reduction != null && $Object.hasOwnProperty.call(message, "reduction"))
                    if (typeof message.reduction !== "number" || (message.reduction | 0) !== message.reduction)
                        return "reduction: enum value expected";
                if (message.perExampleGrads != null && $Object.hasOwnProperty.call(message, "perExampleGrads"))
                    if (!(message.perExampleGrads && typeof message.perExampleGrads.length === "number" || $util.isString(message.perExampleGrads)))
                        return "perExampleGrads: buffer expected";
                if (message.sampledLabelGrads != null && $Object.hasOwnProperty.call(message, "sampledLabelGrads")) {
                    let error = $root.fisherd.v1.SampledLabelGrads.verify(message.sampledLabelGrads, _depth + 1);
                    if (error)
                        return "sampledLabelGrads." + error;
                }
                if (message.fisherFactorRows != null && $Object.hasOwnProperty.call(message, "fisherFactorRows")) {
                    let error = $root.fisherd.v1.FisherFactorRows.verify(message.fisherFactorRows, _depth + 1);
                    if (error)
                        return "fisherFactorRows." + error;
                }
                if (message.meanGrad != null && $Object.hasOwnProperty.call(message, "meanGrad"))
                    if (!(message.meanGrad && typeof message.meanGrad.length === "number" || $util.isString(message.meanGrad)))
                        return "meanGrad: buffer expected";
                if (message.params != null && $Object.hasOwnProperty.call(message, "params"))
                    if (!(message.params && typeof message.params.length === "number" || $util.isString(message.params)))
                        return "params: buffer expected";
                if (message.statistics != null && $Object.hasOwnProperty.call(message, "statistics")) {
                    if (!$Array.isArray(message.statistics))
                        return "statistics: array expected";
                    for (let i = 0; i < message.statistics.length; ++i) {
                        let error = $root.fisherd.v1.BlockStatistics.verify(message.statistics[i], _depth + 1);
                        if (error)
                            return "statistics." + error;
                    }
                }
                if (message.lossAfterPreviousUpdate != null && $Object.hasOwnProperty.call(message, "lossAfterPreviousUpdate")) {
                    properties._lossAfterPreviousUpdate = 1;
                    if (typeof message.lossAfterPreviousUpdate !== "number")
                        return "lossAfterPreviousUpdate: number expected";
                }
                return null;
            };

            /**
             * Creates a StepContribution message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fisherd.v1.StepContribution
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fisherd.v1.StepContribution} StepContribution
             */
            StepContribution.fromObject = function (object, _depth) {
                if (object instanceof $root.fisherd.v1.StepContribution)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fisherd.v1.StepContribution: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fisherd.v1.StepContribution();
                if (object.step != null)
                    if ($Number(object.step) !== 0)
                        message.step = object.step >>> 0;
                if (object.workerId != null)
                    if ($Number(object.workerId) !== 0)
                        message.workerId = object.workerId >>> 0;
                if (object.loss != null)
                    message.loss = $Number(object.loss);
                if (object.batchSize != null)
                    if ($Number(object.batchSize) !== 0)
                        message.batchSize = object.batchSize >>> 0;
                if (object.reduction !== 0 && (typeof object.reduction !== "string" || $root.fisherd.v1.Reduction[object.reduction] !== 0))
                    switch (object.reduction) {
                    case "REDUCTION_UNSPECIFIED":
                    case 0:
                        message.reduction = 0;
                        break;
                    case "REDUCTION_MEAN":
                    case 1:
                        message.reduction = 1;
                        break;
                    case "REDUCTION_SUM":
                    case 2:
                        message.reduction = 2;
                        break;
                    default:
                        if (typeof object.reduction === "number" && (object.reduction | 0) === object.reduction)
                            message.reduction = object.reduction;
                    }
                if (object.perExampleGrads != null)
                    if (object.perExampleGrads.length)
                        if (typeof object.perExampleGrads === "string")
                            $util.base64.decode(object.perExampleGrads, message.perExampleGrads = $util.newBuffer($util.base64.length(object.perExampleGrads)), 0);
                        else if (object.perExampleGrads.length >= 0)
                            message.perExampleGrads = object.perExampleGrads;
                if (object.sampledLabelGrads != null) {
                    if (!$util.isObject(object.sampledLabelGrads))
                        throw $TypeError(".fisherd.v1.StepContribution.sampledLabelGrads: object expected");
                    message.sampledLabelGrads = $root.fisherd.v1.SampledLabelGrads.fromObject(object.sampledLabelGrads, _depth + 1);
                }
                if (object.fisherFactorRows != null) {
                    if (!$util.isObject(object.fisherFactorRows))
                        throw $TypeError(".fisherd.v1.StepContribution.fisherFactorRows: object expected");
                    message.fisherFactorRows = $root.fisherd.v1.FisherFactorRows.fromObject(object.fisherFactorRows, _depth + 1);
                }
                if (object.meanGrad != null)
                    if (object.meanGrad.length)
                        if (typeof object.meanGrad === "string")
                            $util.base64.decode(object.meanGrad, message.meanGrad = $util.newBuffer($util.base64.length(object.meanGrad)), 0);
                        else if (object.meanGrad.length >= 0)
                            message.meanGrad = object.meanGrad;
                if (object.params != null)
                    if (object.params.length)
                        if (typeof object.params === "string")
                            $util.base64.decode(object.params, message.params = $util.newBuffer($util.base64.length(object.params)), 0);
                        else if (object.params.length >= 0)
                            message.params = object.params;
                if (object.statistics) {
                    if (!$Array.isArray(object.statistics))
                        throw $TypeError(".fisherd.v1.StepContribution.statistics: array expected");
                    message.statistics = $Array(object.statistics.length);
                    for (let i = 0; i < object.statistics.length; ++i) {
                        if (!$util.isObject(object.statistics[i]))
                            throw $TypeError(".fisherd.v1.StepContribution.statistics: object expected");
                        message.statistics[i] = $root.fisherd.v1.BlockStatistics.fromObject(object.statistics[i], _depth + 1);
                    }
                }
                if (object.lossAfterPreviousUpdate != null)
                    message.lossAfterPreviousUpdate = $Number(object.lossAfterPreviousUpdate);
                return message;
            };

            /**
             * Creates a plain object from a StepContribution message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fisherd.v1.StepContribution
             * @static
             * @param {fisherd.v1.StepContribution} message StepContribution
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            StepContribution.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.arrays || options.defaults)
                    object.statistics = [];
                if (options.defaults) {
                    object.step = 0;
                    object.workerId = 0;
                    object.batchSize = 0;
                    object.reduction = options.enums === $String ? "REDUCTION_UNSPECIFIED" : 0;
                    if (options.bytes === $String)
                        object.perExampleGrads = "";
                    else {
                        object.perExampleGrads = [];
                        if (options.bytes !== $Array)
                            object.perExampleGrads = $util.newBuffer(object.perExampleGrads);
                    }
                    object.sampledLabelGrads = null;
                    object.fisherFactorRows = null;
                    if (options.bytes === $String)
                        object.meanGrad = "";
                    else {
                        object.meanGrad = [];
                        if (options.bytes !== $Array)
                            object.meanGrad = $util.newBuffer(object.meanGrad);
                    }
                    if (options.bytes === $String)
                        object.params = "";
                    else {
                        object.params = [];
                        if (options.bytes !== $Array)
                            object.params = $util.newBuffer(object.params);
                    }
                }
                if (message.step != null && $Object.hasOwnProperty.call(message, "step"))
                    object.step = message.step;
                if (message.workerId != null && $Object.hasOwnProperty.call(message, "workerId"))
                    object.workerId = message.workerId;
                if (message.loss != null && $Object.hasOwnProperty.call(message, "loss"))
                    object.loss = options.json && !$isFinite(message.loss) ? $String(message.loss) : message.loss;
                if (message.batchSize != null && $Object.hasOwnProperty.call(message, "batchSize"))
                    object.batchSize = message.batchSize;
                if (message.reduction != null && $Object.hasOwnProperty.call(message, "reduction"))
                    object.reduction = options.enums === $String ? $root.fisherd.v1.Reduction[message.reduction] === $undefined ? message.reduction : $root.fisherd.v1.Reduction[message.reduction] : message.reduction;
                if (message.perExampleGrads != null && $Object.hasOwnProperty.call(message, "perExampleGrads"))
                    object.perExampleGrads = options.bytes === $String ? $util.base64.encode(message.perExampleGrads, 0, message.perExampleGrads.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.perExampleGrads) : message.perExampleGrads;
                if (message.sampledLabelGrads != null && $Object.hasOwnProperty.call(message, "sampledLabelGrads"))
                    object.sampledLabelGrads = $root.fisherd.v1.SampledLabelGrads.toObject(message.sampledLabelGrads, options, _depth + 1);
                if (message.fisherFactorRows != null && $Object.hasOwnProperty.call(message, "fisherFactorRows"))
                    object.fisherFactorRows = $root.fisherd.v1.FisherFactorRows.toObject(message.fisherFactorRows, options, _depth + 1);
                if (message.meanGrad != null && $Object.hasOwnProperty.call(message, "meanGrad"))
                    object.meanGrad = options.bytes === $String ? $util.base64.encode(message.meanGrad, 0, message.meanGrad.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.meanGrad) : message.meanGrad;
                if (message.params != null && $Object.hasOwnProperty.call(message, "params"))
                    object.params = options.bytes === $String ? $util.base64.encode(message.params, 0, message.params.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.params) : message.params;
                if (message.statistics && message.statistics.length) {
                    object.statistics = $Array(message.statistics.length);
                    for (let j = 0; j < message.statistics.length; ++j)
                        object.statistics[j] = $root.fisherd.v1.BlockStatistics.toObject(message.statistics[j], options, _depth + 1);
                }
                if (message.lossAfterPreviousUpdate != null && $Object.hasOwnProperty.call(message, "lossAfterPreviousUpdate"))
                    object.lossAfterPreviousUpdate = options.json && !$isFinite(message.lossAfterPreviousUpdate) ? $String(message.lossAfterPreviousUpdate) : message.lossAfterPreviousUpdate;
                return object;
            };

            /**
             * Converts this StepContribution to JSON.
             * @function toJSON
             * @memberof fisherd.v1.StepContribution
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            StepContribution.prototype.toJSON = function() {
                return StepContribution.toObject(this, $protobuf.util.toJSONOptions);
            };

            return StepContribution;
        })();

        v1.BlockStatistics = (function() {

            /**
             * Properties of a BlockStatistics.
             * @typedef {Object} fisherd.v1.BlockStatistics.$Properties
             * @property {string|null} [block] The SessionConfig block's name; empty = the whole parameter vector (then the only entry).
             * @property {fisherd.v1.DiagonalMoments.$Properties|null} [diagonal] BlockStatistics diagonal
             * @property {fisherd.v1.KroneckerStatistics.$Properties|null} [kronecker] BlockStatistics kronecker
             * @property {"diagonal"|"kronecker"} [kind] BlockStatistics kind
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a BlockStatistics.
             * @memberof fisherd.v1
             * @interface IBlockStatistics
             * @augments fisherd.v1.BlockStatistics.$Properties
             * @deprecated Use fisherd.v1.BlockStatistics.$Properties instead.
             */

            /**
             * Narrowed shape of a BlockStatistics.
             * @typedef {{
             *   block?: string|null;
             *   diagonal?: fisherd.v1.DiagonalMoments.$Shape|null;
             *   kronecker?: fisherd.v1.KroneckerStatistics.$Shape|null;
             *   $unknowns?: Array.<Uint8Array>;
             * } & (
             *   ({ kind?: undefined; diagonal?: null; kronecker?: null }|{ kind?: "diagonal"; diagonal: fisherd.v1.DiagonalMoments.$Shape; kronecker?: null }|{ kind?: "kronecker"; diagonal?: null; kronecker: fisherd.v1.KroneckerStatistics.$Shape })
             * )} fisherd.v1.BlockStatistics.$Shape
             */

            /**
             * Constructs a new BlockStatistics.
             * @memberof fisherd.v1
             * @classdesc One parameter block's statistics. The kind may differ from block to block: diagonal moments for
             * diagonal blocks (and for any block of a session that tracks no estimate), Kronecker statistics for
             * KIND_KRONECKER blocks.
             * @constructor
             * @param {fisherd.v1.BlockStatistics.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const BlockStatistics = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * The SessionConfig block's name; empty = the whole parameter vector (then the only entry).
             * @member {string} block
             * @memberof fisherd.v1.BlockStatistics
             * @instance
             */
            BlockStatistics.prototype.block = "";

            /**
             * BlockStatistics diagonal.
             * @member {fisherd.v1.DiagonalMoments.$Properties|null|undefined} diagonal
             * @memberof fisherd.v1.BlockStatistics
             * @instance
             */
            BlockStatistics.prototype.diagonal = null;

            /**
             * BlockStatistics kronecker.
             * @member {fisherd.v1.KroneckerStatistics.$Properties|null|undefined} kronecker
             * @memberof fisherd.v1.BlockStatistics
             * @instance
             */
            BlockStatistics.prototype.kronecker = null;

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            /**
             * BlockStatistics kind.
             * @member {"diagonal"|"kronecker"|undefined} kind
             * @memberof fisherd.v1.BlockStatistics
             * @instance
             */
            $Object.defineProperty(BlockStatistics.prototype, "kind", {
                get: $util.oneOfGetter($oneOfFields = ["diagonal", "kronecker"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new BlockStatistics instance using the specified properties.
             * @function create
             * @memberof fisherd.v1.BlockStatistics
             * @static
             * @param {fisherd.v1.BlockStatistics.$Properties=} [properties] Properties to set
             * @returns {fisherd.v1.BlockStatistics} BlockStatistics instance
             * @type {{
             *   (properties: fisherd.v1.BlockStatistics.$Shape): fisherd.v1.BlockStatistics & fisherd.v1.BlockStatistics.$Shape;
             *   (properties?: fisherd.v1.BlockStatistics.$Properties): fisherd.v1.BlockStatistics;
             * }}
             */
            BlockStatistics.create = function(properties) {
                return new BlockStatistics(properties);
            };

            /**
             * Encodes the specified BlockStatistics message. Does not implicitly {@link fisherd.v1.BlockStatistics.verify|verify} messages.
             * @function encode
             * @memberof fisherd.v1.BlockStatistics
             * @static
             * @param {fisherd.v1.BlockStatistics.$Properties} message BlockStatistics message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            BlockStatistics.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.block != null && $Object.hasOwnProperty.call(message, "block") && message.block !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.block);
                if (message.diagonal != null && $Object.hasOwnProperty.call(message, "diagonal"))
                    $root.fisherd.v1.DiagonalMoments.encode(message.diagonal, writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                if (message.kronecker != null && $Object.hasOwnProperty.call(message, "kronecker"))
                    $root.fisherd.v1.KroneckerStatistics.encode(message.kronecker, writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a BlockStatistics message from the specified reader or buffer.
             * @function decode
             * @memberof fisherd.v1.BlockStatistics
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fisherd.v1.BlockStatistics & fisherd.v1.BlockStatistics.$Shape} BlockStatistics
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            BlockStatistics.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fisherd.v1.BlockStatistics();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.block = value;
                            else
                                delete message.block;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            message.diagonal = $root.fisherd.v1.DiagonalMoments.decode(reader, reader.size(), $undefined, _depth + 1, message.diagonal);
                            message.kind = "diagonal";
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            message.kronecker = $root.fisherd.v1.KroneckerStatistics.decode(reader, reader.size(), $undefined, _depth + 1, message.kronecker);
                            message.kind = "kronecker";
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a BlockStatistics message.
             * @function verify
             * @memberof fisherd.v1.BlockStatistics
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            BlockStatistics.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                let properties = {};
                if (message.block != null && $Object.hasOwnProperty.call(message, "block"))
                    if (!$util.isString(message.block))
                        return "block: string expected";
                if (message.diagonal != null && $Object.hasOwnProperty.call(message, "diagonal")) {
                    properties.kind = 1;
                    {
                        let error = $root.fisherd.v1.DiagonalMoments.verify(message.diagonal, _depth + 1);
                        if (error)
                            return "diagonal." + error;
                    }
                }
                if (message.kronecker != null && $Object.hasOwnProperty.call(message, "kronecker")) {
                    if (properties.kind === 1)
                        return "kind: multiple values";
                    properties.kind = 1;
                    {
                        let error = $root.fisherd.v1.KroneckerStatistics.verify(message.kronecker, _depth + 1);
                        if (error)
                            return "kronecker." + error;
                    }
                }
                return null;
            };

            /**
             * Creates a BlockStatistics message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fisherd.v1.BlockStatistics
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fisherd.v1.BlockStatistics} BlockStatistics
             */
            BlockStatistics.fromObject = function (object, _depth) {
                if (object instanceof $root.fisherd.v1.BlockStatistics)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fisherd.v1.BlockStatistics: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fisherd.v1.BlockStatistics();
                if (object.block != null)
                    if (typeof object.block !== "string" || object.block.length)
                        message.block = $String(object.block);
                if (object.diagonal != null) {
                    if (!$util.isObject(object.diagonal))
                        throw $TypeError(".fisherd.v1.BlockStatistics.diagonal: object expected");
                    message.diagonal = $root.fisherd.v1.DiagonalMoments.fromObject(object.diagonal, _depth + 1);
                }
                if (object.kronecker != null) {
                    if (!$util.isObject(object.kronecker))
                        throw $TypeError(".fisherd.v1.BlockStatistics.kronecker: object expected");
                    message.kronecker = $root.fisherd.v1.KroneckerStatistics.fromObject(object.kronecker, _depth + 1);
                }
                return message;
            };

            /**
             * Creates a plain object from a BlockStatistics message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fisherd.v1.BlockStatistics
             * @static
             * @param {fisherd.v1.BlockStatistics} message BlockStatistics
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            BlockStatistics.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults)
                    object.block = "";
                if (message.block != null && $Object.hasOwnProperty.call(message, "block"))
                    object.block = message.block;
                if (message.diagonal != null && $Object.hasOwnProperty.call(message, "diagonal")) {
                    object.diagonal = $root.fisherd.v1.DiagonalMoments.toObject(message.diagonal, options, _depth + 1);
                    if (options.oneofs)
                        object.kind = "diagonal";
                }
                if (message.kronecker != null && $Object.hasOwnProperty.call(message, "kronecker")) {
                    object.kronecker = $root.fisherd.v1.KroneckerStatistics.toObject(message.kronecker, options, _depth + 1);
                    if (options.oneofs)
                        object.kind = "kronecker";
                }
                return object;
            };

            /**
             * Converts this BlockStatistics to JSON.
             * @function toJSON
             * @memberof fisherd.v1.BlockStatistics
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            BlockStatistics.prototype.toJSON = function() {
                return BlockStatistics.toObject(this, $protobuf.util.toJSONOptions);
            };

            return BlockStatistics;
        })();

        v1.KroneckerStatistics = (function() {

            /**
             * Properties of a KroneckerStatistics.
             * @typedef {Object} fisherd.v1.KroneckerStatistics.$Properties
             * @property {number|null} [count] b_w, this step's examples (>= 1); must equal StepContribution.batch_size (every block).
             * @property {fisherd.v1.FloatEncoding|null} [encoding] How every float vector of this message and of its `factors` is encoded (default FLOAT32).
             * @property {Uint8Array|null} [sum] Σ_n r_n: out·in' values in the block's layout (torch's weight row-major, then the bias), as the client
             * holds them under StepContribution.reduction (like DiagonalMoments.sum: fisherd multiplies by b_w for
             * REDUCTION_MEAN). ḡ's share: this or `sum_factors` is required (not both).
             * @property {fisherd.v1.KroneckerFactors.$Properties|null} [factors] The factor sums, when this step carries them.
             * @property {fisherd.v1.GradientFactors.$Properties|null} [sumFactors] `sum` as the product of two thin factors instead (math.md, "Low-rank gradient sums"): fewer bytes when
             * rank·(out + in') < out·in', and a cheaper solve on the daemon. Exactly one of `sum`, `sum_factors`.
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a KroneckerStatistics.
             * @memberof fisherd.v1
             * @interface IKroneckerStatistics
             * @augments fisherd.v1.KroneckerStatistics.$Properties
             * @deprecated Use fisherd.v1.KroneckerStatistics.$Properties instead.
             */

            /**
             * Shape of a KroneckerStatistics.
             * @typedef {fisherd.v1.KroneckerStatistics.$Properties} fisherd.v1.KroneckerStatistics.$Shape
             */

            /**
             * Constructs a new KroneckerStatistics.
             * @memberof fisherd.v1
             * @classdesc A KIND_KRONECKER block's statistics (docs/math.md, "Kronecker factors (K-FAC)" and "Statistics
             * contributions"): the block's gradient sum on every step, and its factor sums on the steps that carry
             * them. A client may send factors only every T_stat steps, each time summed over the steps since the
             * last (sums and counts added); a step without `factors` is valid and leaves the block's factors, and
             * their EMA clock, as they are (the session's first step with a tracked estimate must carry them). Every
             * worker of a step sends factors for a block, or none does.
             * @constructor
             * @param {fisherd.v1.KroneckerStatistics.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const KroneckerStatistics = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * b_w, this step's examples (>= 1); must equal StepContribution.batch_size (every block).
             * @member {number} count
             * @memberof fisherd.v1.KroneckerStatistics
             * @instance
             */
            KroneckerStatistics.prototype.count = 0;

            /**
             * How every float vector of this message and of its `factors` is encoded (default FLOAT32).
             * @member {fisherd.v1.FloatEncoding} encoding
             * @memberof fisherd.v1.KroneckerStatistics
             * @instance
             */
            KroneckerStatistics.prototype.encoding = 0;

            /**
             * Σ_n r_n: out·in' values in the block's layout (torch's weight row-major, then the bias), as the client
             * holds them under StepContribution.reduction (like DiagonalMoments.sum: fisherd multiplies by b_w for
             * REDUCTION_MEAN). ḡ's share: this or `sum_factors` is required (not both).
             * @member {Uint8Array} sum
             * @memberof fisherd.v1.KroneckerStatistics
             * @instance
             */
            KroneckerStatistics.prototype.sum = $util.newBuffer([]);

            /**
             * The factor sums, when this step carries them.
             * @member {fisherd.v1.KroneckerFactors.$Properties|null|undefined} factors
             * @memberof fisherd.v1.KroneckerStatistics
             * @instance
             */
            KroneckerStatistics.prototype.factors = null;

            /**
             * `sum` as the product of two thin factors instead (math.md, "Low-rank gradient sums"): fewer bytes when
             * rank·(out + in') < out·in', and a cheaper solve on the daemon. Exactly one of `sum`, `sum_factors`.
             * @member {fisherd.v1.GradientFactors.$Properties|null|undefined} sumFactors
             * @memberof fisherd.v1.KroneckerStatistics
             * @instance
             */
            KroneckerStatistics.prototype.sumFactors = null;

            /**
             * Creates a new KroneckerStatistics instance using the specified properties.
             * @function create
             * @memberof fisherd.v1.KroneckerStatistics
             * @static
             * @param {fisherd.v1.KroneckerStatistics.$Properties=} [properties] Properties to set
             * @returns {fisherd.v1.KroneckerStatistics} KroneckerStatistics instance
             * @type {{
             *   (properties: fisherd.v1.KroneckerStatistics.$Shape): fisherd.v1.KroneckerStatistics & fisherd.v1.KroneckerStatistics.$Shape;
             *   (properties?: fisherd.v1.KroneckerStatistics.$Properties): fisherd.v1.KroneckerStatistics;
             * }}
             */
            KroneckerStatistics.create = function(properties) {
                return new KroneckerStatistics(properties);
            };

            /**
             * Encodes the specified KroneckerStatistics message. Does not implicitly {@link fisherd.v1.KroneckerStatistics.verify|verify} messages.
             * @function encode
             * @memberof fisherd.v1.KroneckerStatistics
             * @static
             * @param {fisherd.v1.KroneckerStatistics.$Properties} message KroneckerStatistics message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            KroneckerStatistics.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.count != null && $Object.hasOwnProperty.call(message, "count") && message.count !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.count);
                if (message.encoding != null && $Object.hasOwnProperty.call(message, "encoding") && message.encoding !== 0)
                    writer.uint32(/* id 2, wireType 0 =*/16).int32(message.encoding);
                if (message.sum != null && $Object.hasOwnProperty.call(message, "sum") && message.sum.length)
                    writer.uint32(/* id 3, wireType 2 =*/26).bytes(message.sum);
                if (message.factors != null && $Object.hasOwnProperty.call(message, "factors"))
                    $root.fisherd.v1.KroneckerFactors.encode(message.factors, writer.uint32(/* id 4, wireType 2 =*/34).fork(), _depth + 1).ldelim();
                if (message.sumFactors != null && $Object.hasOwnProperty.call(message, "sumFactors"))
                    $root.fisherd.v1.GradientFactors.encode(message.sumFactors, writer.uint32(/* id 5, wireType 2 =*/42).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a KroneckerStatistics message from the specified reader or buffer.
             * @function decode
             * @memberof fisherd.v1.KroneckerStatistics
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fisherd.v1.KroneckerStatistics & fisherd.v1.KroneckerStatistics.$Shape} KroneckerStatistics
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            KroneckerStatistics.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fisherd.v1.KroneckerStatistics();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.count = value;
                            else
                                delete message.count;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.encoding = value;
                            else
                                delete message.encoding;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.sum = value;
                            else
                                delete message.sum;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            message.factors = $root.fisherd.v1.KroneckerFactors.decode(reader, reader.size(), $undefined, _depth + 1, message.factors);
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            message.sumFactors = $root.fisherd.v1.GradientFactors.decode(reader, reader.size(), $undefined, _depth + 1, message.sumFactors);
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a KroneckerStatistics message.
             * @function verify
             * @memberof fisherd.v1.KroneckerStatistics
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            KroneckerStatistics.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.count != null && $Object.hasOwnProperty.call(message, "count"))
                    if (!$util.isInteger(message.count))
                        return "count: integer expected";
                if (message.encoding != null && $Object.hasOwnProperty.call(message, "encoding"))
                    if (typeof message.encoding !== "number" || (message.encoding | 0) !== message.encoding)
                        return "encoding: enum value expected";
                if (message.sum != null && $Object.hasOwnProperty.call(message, "sum"))
                    if (!(message.sum && typeof message.sum.length === "number" || $util.isString(message.sum)))
                        return "sum: buffer expected";
                if (message.factors != null && $Object.hasOwnProperty.call(message, "factors")) {
                    let error = $root.fisherd.v1.KroneckerFactors.verify(message.factors, _depth + 1);
                    if (error)
                        return "factors." + error;
                }
                if (message.sumFactors != null && $Object.hasOwnProperty.call(message, "sumFactors")) {
                    let error = $root.fisherd.v1.GradientFactors.verify(message.sumFactors, _depth + 1);
                    if (error)
                        return "sumFactors." + error;
                }
                return null;
            };

            /**
             * Creates a KroneckerStatistics message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fisherd.v1.KroneckerStatistics
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fisherd.v1.KroneckerStatistics} KroneckerStatistics
             */
            KroneckerStatistics.fromObject = function (object, _depth) {
                if (object instanceof $root.fisherd.v1.KroneckerStatistics)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fisherd.v1.KroneckerStatistics: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fisherd.v1.KroneckerStatistics();
                if (object.count != null)
                    if ($Number(object.count) !== 0)
                        message.count = object.count >>> 0;
                if (object.encoding !== 0 && (typeof object.encoding !== "string" || $root.fisherd.v1.FloatEncoding[object.encoding] !== 0))
                    switch (object.encoding) {
                    case "FLOAT_ENCODING_UNSPECIFIED":
                    case 0:
                        message.encoding = 0;
                        break;
                    case "FLOAT_ENCODING_FLOAT32":
                    case 1:
                        message.encoding = 1;
                        break;
                    case "FLOAT_ENCODING_FLOAT16":
                    case 2:
                        message.encoding = 2;
                        break;
                    case "FLOAT_ENCODING_BFLOAT16":
                    case 3:
                        message.encoding = 3;
                        break;
                    default:
                        if (typeof object.encoding === "number" && (object.encoding | 0) === object.encoding)
                            message.encoding = object.encoding;
                    }
                if (object.sum != null)
                    if (object.sum.length)
                        if (typeof object.sum === "string")
                            $util.base64.decode(object.sum, message.sum = $util.newBuffer($util.base64.length(object.sum)), 0);
                        else if (object.sum.length >= 0)
                            message.sum = object.sum;
                if (object.factors != null) {
                    if (!$util.isObject(object.factors))
                        throw $TypeError(".fisherd.v1.KroneckerStatistics.factors: object expected");
                    message.factors = $root.fisherd.v1.KroneckerFactors.fromObject(object.factors, _depth + 1);
                }
                if (object.sumFactors != null) {
                    if (!$util.isObject(object.sumFactors))
                        throw $TypeError(".fisherd.v1.KroneckerStatistics.sumFactors: object expected");
                    message.sumFactors = $root.fisherd.v1.GradientFactors.fromObject(object.sumFactors, _depth + 1);
                }
                return message;
            };

            /**
             * Creates a plain object from a KroneckerStatistics message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fisherd.v1.KroneckerStatistics
             * @static
             * @param {fisherd.v1.KroneckerStatistics} message KroneckerStatistics
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            KroneckerStatistics.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.count = 0;
                    object.encoding = options.enums === $String ? "FLOAT_ENCODING_UNSPECIFIED" : 0;
                    if (options.bytes === $String)
                        object.sum = "";
                    else {
                        object.sum = [];
                        if (options.bytes !== $Array)
                            object.sum = $util.newBuffer(object.sum);
                    }
                    object.factors = null;
                    object.sumFactors = null;
                }
                if (message.count != null && $Object.hasOwnProperty.call(message, "count"))
                    object.count = message.count;
                if (message.encoding != null && $Object.hasOwnProperty.call(message, "encoding"))
                    object.encoding = options.enums === $String ? $root.fisherd.v1.FloatEncoding[message.encoding] === $undefined ? message.encoding : $root.fisherd.v1.FloatEncoding[message.encoding] : message.encoding;
                if (message.sum != null && $Object.hasOwnProperty.call(message, "sum"))
                    object.sum = options.bytes === $String ? $util.base64.encode(message.sum, 0, message.sum.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.sum) : message.sum;
                if (message.factors != null && $Object.hasOwnProperty.call(message, "factors"))
                    object.factors = $root.fisherd.v1.KroneckerFactors.toObject(message.factors, options, _depth + 1);
                if (message.sumFactors != null && $Object.hasOwnProperty.call(message, "sumFactors"))
                    object.sumFactors = $root.fisherd.v1.GradientFactors.toObject(message.sumFactors, options, _depth + 1);
                return object;
            };

            /**
             * Converts this KroneckerStatistics to JSON.
             * @function toJSON
             * @memberof fisherd.v1.KroneckerStatistics
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            KroneckerStatistics.prototype.toJSON = function() {
                return KroneckerStatistics.toObject(this, $protobuf.util.toJSONOptions);
            };

            return KroneckerStatistics;
        })();

        v1.GradientFactors = (function() {

            /**
             * Properties of a GradientFactors.
             * @typedef {Object} fisherd.v1.GradientFactors.$Properties
             * @property {number|null} [rank] r >= 1, the number of row pairs.
             * @property {Uint8Array|null} [outputGrads] L: r × out, row-major (row j = e_j, the output gradient).
             * @property {Uint8Array|null} [inputs] R: r × in', row-major (row j = ā_j, the input with the bias's 1 last when the block has a bias).
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a GradientFactors.
             * @memberof fisherd.v1
             * @interface IGradientFactors
             * @augments fisherd.v1.GradientFactors.$Properties
             * @deprecated Use fisherd.v1.GradientFactors.$Properties instead.
             */

            /**
             * Shape of a GradientFactors.
             * @typedef {fisherd.v1.GradientFactors.$Properties} fisherd.v1.GradientFactors.$Shape
             */

            /**
             * Constructs a new GradientFactors.
             * @memberof fisherd.v1
             * @classdesc A Kronecker block's gradient sum as a product of factors (math.md, "Low-rank gradient sums"): the out×in'
             * matrix Σ_j e_j ā_jᵀ = Lᵀ R, whose weight columns (row-major) then bias column are `sum` in the block's
             * layout. One row pair per example for a layer without weight sharing (rank = b_w); b_w·R pairs for R
             * positions of a convolution or a sequence. The rows as the client holds them (e_j scaled by the reduction
             * like `sum`), in the enclosing message's encoding; finite.
             * @constructor
             * @param {fisherd.v1.GradientFactors.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const GradientFactors = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * r >= 1, the number of row pairs.
             * @member {number} rank
             * @memberof fisherd.v1.GradientFactors
             * @instance
             */
            GradientFactors.prototype.rank = 0;

            /**
             * L: r × out, row-major (row j = e_j, the output gradient).
             * @member {Uint8Array} outputGrads
             * @memberof fisherd.v1.GradientFactors
             * @instance
             */
            GradientFactors.prototype.outputGrads = $util.newBuffer([]);

            /**
             * R: r × in', row-major (row j = ā_j, the input with the bias's 1 last when the block has a bias).
             * @member {Uint8Array} inputs
             * @memberof fisherd.v1.GradientFactors
             * @instance
             */
            GradientFactors.prototype.inputs = $util.newBuffer([]);

            /**
             * Creates a new GradientFactors instance using the specified properties.
             * @function create
             * @memberof fisherd.v1.GradientFactors
             * @static
             * @param {fisherd.v1.GradientFactors.$Properties=} [properties] Properties to set
             * @returns {fisherd.v1.GradientFactors} GradientFactors instance
             * @type {{
             *   (properties: fisherd.v1.GradientFactors.$Shape): fisherd.v1.GradientFactors & fisherd.v1.GradientFactors.$Shape;
             *   (properties?: fisherd.v1.GradientFactors.$Properties): fisherd.v1.GradientFactors;
             * }}
             */
            GradientFactors.create = function(properties) {
                return new GradientFactors(properties);
            };

            /**
             * Encodes the specified GradientFactors message. Does not implicitly {@link fisherd.v1.GradientFactors.verify|verify} messages.
             * @function encode
             * @memberof fisherd.v1.GradientFactors
             * @static
             * @param {fisherd.v1.GradientFactors.$Properties} message GradientFactors message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            GradientFactors.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.rank != null && $Object.hasOwnProperty.call(message, "rank") && message.rank !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.rank);
                if (message.outputGrads != null && $Object.hasOwnProperty.call(message, "outputGrads") && message.outputGrads.length)
                    writer.uint32(/* id 2, wireType 2 =*/18).bytes(message.outputGrads);
                if (message.inputs != null && $Object.hasOwnProperty.call(message, "inputs") && message.inputs.length)
                    writer.uint32(/* id 3, wireType 2 =*/26).bytes(message.inputs);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a GradientFactors message from the specified reader or buffer.
             * @function decode
             * @memberof fisherd.v1.GradientFactors
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fisherd.v1.GradientFactors & fisherd.v1.GradientFactors.$Shape} GradientFactors
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            GradientFactors.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fisherd.v1.GradientFactors();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.rank = value;
                            else
                                delete message.rank;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.outputGrads = value;
                            else
                                delete message.outputGrads;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.inputs = value;
                            else
                                delete message.inputs;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a GradientFactors message.
             * @function verify
             * @memberof fisherd.v1.GradientFactors
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            GradientFactors.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.rank != null && $Object.hasOwnProperty.call(message, "rank"))
                    if (!$util.isInteger(message.rank))
                        return "rank: integer expected";
                if (message.outputGrads != null && $Object.hasOwnProperty.call(message, "outputGrads"))
                    if (!(message.outputGrads && typeof message.outputGrads.length === "number" || $util.isString(message.outputGrads)))
                        return "outputGrads: buffer expected";
                if (message.inputs != null && $Object.hasOwnProperty.call(message, "inputs"))
                    if (!(message.inputs && typeof message.inputs.length === "number" || $util.isString(message.inputs)))
                        return "inputs: buffer expected";
                return null;
            };

            /**
             * Creates a GradientFactors message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fisherd.v1.GradientFactors
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fisherd.v1.GradientFactors} GradientFactors
             */
            GradientFactors.fromObject = function (object, _depth) {
                if (object instanceof $root.fisherd.v1.GradientFactors)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fisherd.v1.GradientFactors: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fisherd.v1.GradientFactors();
                if (object.rank != null)
                    if ($Number(object.rank) !== 0)
                        message.rank = object.rank >>> 0;
                if (object.outputGrads != null)
                    if (object.outputGrads.length)
                        if (typeof object.outputGrads === "string")
                            $util.base64.decode(object.outputGrads, message.outputGrads = $util.newBuffer($util.base64.length(object.outputGrads)), 0);
                        else if (object.outputGrads.length >= 0)
                            message.outputGrads = object.outputGrads;
                if (object.inputs != null)
                    if (object.inputs.length)
                        if (typeof object.inputs === "string")
                            $util.base64.decode(object.inputs, message.inputs = $util.newBuffer($util.base64.length(object.inputs)), 0);
                        else if (object.inputs.length >= 0)
                            message.inputs = object.inputs;
                return message;
            };

            /**
             * Creates a plain object from a GradientFactors message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fisherd.v1.GradientFactors
             * @static
             * @param {fisherd.v1.GradientFactors} message GradientFactors
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            GradientFactors.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.rank = 0;
                    if (options.bytes === $String)
                        object.outputGrads = "";
                    else {
                        object.outputGrads = [];
                        if (options.bytes !== $Array)
                            object.outputGrads = $util.newBuffer(object.outputGrads);
                    }
                    if (options.bytes === $String)
                        object.inputs = "";
                    else {
                        object.inputs = [];
                        if (options.bytes !== $Array)
                            object.inputs = $util.newBuffer(object.inputs);
                    }
                }
                if (message.rank != null && $Object.hasOwnProperty.call(message, "rank"))
                    object.rank = message.rank;
                if (message.outputGrads != null && $Object.hasOwnProperty.call(message, "outputGrads"))
                    object.outputGrads = options.bytes === $String ? $util.base64.encode(message.outputGrads, 0, message.outputGrads.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.outputGrads) : message.outputGrads;
                if (message.inputs != null && $Object.hasOwnProperty.call(message, "inputs"))
                    object.inputs = options.bytes === $String ? $util.base64.encode(message.inputs, 0, message.inputs.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.inputs) : message.inputs;
                return object;
            };

            /**
             * Converts this GradientFactors to JSON.
             * @function toJSON
             * @memberof fisherd.v1.GradientFactors
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            GradientFactors.prototype.toJSON = function() {
                return GradientFactors.toObject(this, $protobuf.util.toJSONOptions);
            };

            return GradientFactors;
        })();

        v1.KroneckerFactors = (function() {

            /**
             * Properties of a KroneckerFactors.
             * @typedef {Object} fisherd.v1.KroneckerFactors.$Properties
             * @property {Uint8Array|null} [inputSum] A = Σ ā ā ᵀ, in'×in' packed (in' = inputs + 1 with a bias: ā = [a; 1]).
             * @property {number|null} [inputCount] Divisor of input_sum: b (summed over T_stat steps), b·R for weight sharing with K-FAC-expand.
             * @property {fisherd.v1.OutputGradFactor.$Properties|null} [empirical] Output-gradient factor sums G = Σ e eᵀ (out×out packed), one per source. Those the session's tracked
             * estimates need are required (MISSING_INPUT naming the field); others are checked and ignored.
             * Data labels (the empirical Fisher): count b.
             * @property {fisherd.v1.OutputGradFactor.$Properties|null} [sampled] K labels sampled from the model per example (the Monte-Carlo Fisher, FISHER_SOURCE_SAMPLED): count b·K.
             * @property {number|null} [samplesPerExample] K >= 1, with `sampled` (the same for every block and worker).
             * @property {fisherd.v1.OutputGradFactor.$Properties|null} [exact] Columns of the loss Hessian's square root backpropagated (the exact "type-2" Fisher,
             * FISHER_SOURCE_EXACT): count b (not b·C).
             * @property {Uint8Array|null} [eigenbasisSquares] EKFAC only (eigenvalue_corrected blocks; ignored by others): Σ_j ((V_Gᵀ E_j V_A)_{o,i})², out·in'
             * values (row o, column i; bias column last), in the eigenbasis of decomposition `basis_version` of the
             * session's Fisher (the update's "layer.<block>.basisVersion" diagnostic names the installed one); with
             * its count (that of the output-gradient factor). Applied to both tracked estimates' blocks. The basis:
             * EstimatesRequest.kronecker_basis returns it after each refresh.
             * @property {number|null} [eigenbasisCount] KroneckerFactors eigenbasisCount
             * @property {number|null} [basisVersion] KroneckerFactors basisVersion
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a KroneckerFactors.
             * @memberof fisherd.v1
             * @interface IKroneckerFactors
             * @augments fisherd.v1.KroneckerFactors.$Properties
             * @deprecated Use fisherd.v1.KroneckerFactors.$Properties instead.
             */

            /**
             * Shape of a KroneckerFactors.
             * @typedef {fisherd.v1.KroneckerFactors.$Properties} fisherd.v1.KroneckerFactors.$Shape
             */

            /**
             * Constructs a new KroneckerFactors.
             * @memberof fisherd.v1
             * @classdesc Sums of outer products over the examples (and steps) since the last factors, at math.md's per-example
             * scale whatever StepContribution.reduction says (a hook of a mean-reduced loss sees e_n/b: the client
             * multiplies its output-gradient sums by b² before sending, math.md). Each symmetric n×n sum travels as its
             * upper triangle packed row by row: M[0][0], M[0][1], …, M[0][n−1], M[1][1], …, M[n−1][n−1]
             * (n(n+1)/2 values), so it is symmetric by construction; fisherd checks the values finite and the
             * diagonal ≥ 0 (a cheap necessary condition for a sum of outer products). Counts are the divisors of
             * math.md's table: > 0, finite.
             * @constructor
             * @param {fisherd.v1.KroneckerFactors.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const KroneckerFactors = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * A = Σ ā ā ᵀ, in'×in' packed (in' = inputs + 1 with a bias: ā = [a; 1]).
             * @member {Uint8Array} inputSum
             * @memberof fisherd.v1.KroneckerFactors
             * @instance
             */
            KroneckerFactors.prototype.inputSum = $util.newBuffer([]);

            /**
             * Divisor of input_sum: b (summed over T_stat steps), b·R for weight sharing with K-FAC-expand.
             * @member {number} inputCount
             * @memberof fisherd.v1.KroneckerFactors
             * @instance
             */
            KroneckerFactors.prototype.inputCount = 0;

            /**
             * Output-gradient factor sums G = Σ e eᵀ (out×out packed), one per source. Those the session's tracked
             * estimates need are required (MISSING_INPUT naming the field); others are checked and ignored.
             * Data labels (the empirical Fisher): count b.
             * @member {fisherd.v1.OutputGradFactor.$Properties|null|undefined} empirical
             * @memberof fisherd.v1.KroneckerFactors
             * @instance
             */
            KroneckerFactors.prototype.empirical = null;

            /**
             * K labels sampled from the model per example (the Monte-Carlo Fisher, FISHER_SOURCE_SAMPLED): count b·K.
             * @member {fisherd.v1.OutputGradFactor.$Properties|null|undefined} sampled
             * @memberof fisherd.v1.KroneckerFactors
             * @instance
             */
            KroneckerFactors.prototype.sampled = null;

            /**
             * K >= 1, with `sampled` (the same for every block and worker).
             * @member {number} samplesPerExample
             * @memberof fisherd.v1.KroneckerFactors
             * @instance
             */
            KroneckerFactors.prototype.samplesPerExample = 0;

            /**
             * Columns of the loss Hessian's square root backpropagated (the exact "type-2" Fisher,
             * FISHER_SOURCE_EXACT): count b (not b·C).
             * @member {fisherd.v1.OutputGradFactor.$Properties|null|undefined} exact
             * @memberof fisherd.v1.KroneckerFactors
             * @instance
             */
            KroneckerFactors.prototype.exact = null;

            /**
             * EKFAC only (eigenvalue_corrected blocks; ignored by others): Σ_j ((V_Gᵀ E_j V_A)_{o,i})², out·in'
             * values (row o, column i; bias column last), in the eigenbasis of decomposition `basis_version` of the
             * session's Fisher (the update's "layer.<block>.basisVersion" diagnostic names the installed one); with
             * its count (that of the output-gradient factor). Applied to both tracked estimates' blocks. The basis:
             * EstimatesRequest.kronecker_basis returns it after each refresh.
             * @member {Uint8Array} eigenbasisSquares
             * @memberof fisherd.v1.KroneckerFactors
             * @instance
             */
            KroneckerFactors.prototype.eigenbasisSquares = $util.newBuffer([]);

            /**
             * KroneckerFactors eigenbasisCount.
             * @member {number} eigenbasisCount
             * @memberof fisherd.v1.KroneckerFactors
             * @instance
             */
            KroneckerFactors.prototype.eigenbasisCount = 0;

            /**
             * KroneckerFactors basisVersion.
             * @member {number} basisVersion
             * @memberof fisherd.v1.KroneckerFactors
             * @instance
             */
            KroneckerFactors.prototype.basisVersion = 0;

            /**
             * Creates a new KroneckerFactors instance using the specified properties.
             * @function create
             * @memberof fisherd.v1.KroneckerFactors
             * @static
             * @param {fisherd.v1.KroneckerFactors.$Properties=} [properties] Properties to set
             * @returns {fisherd.v1.KroneckerFactors} KroneckerFactors instance
             * @type {{
             *   (properties: fisherd.v1.KroneckerFactors.$Shape): fisherd.v1.KroneckerFactors & fisherd.v1.KroneckerFactors.$Shape;
             *   (properties?: fisherd.v1.KroneckerFactors.$Properties): fisherd.v1.KroneckerFactors;
             * }}
             */
            KroneckerFactors.create = function(properties) {
                return new KroneckerFactors(properties);
            };

            /**
             * Encodes the specified KroneckerFactors message. Does not implicitly {@link fisherd.v1.KroneckerFactors.verify|verify} messages.
             * @function encode
             * @memberof fisherd.v1.KroneckerFactors
             * @static
             * @param {fisherd.v1.KroneckerFactors.$Properties} message KroneckerFactors message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            KroneckerFactors.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.inputSum != null && $Object.hasOwnProperty.call(message, "inputSum") && message.inputSum.length)
                    writer.uint32(/* id 1, wireType 2 =*/10).bytes(message.inputSum);
                if (message.inputCount != null && $Object.hasOwnProperty.call(message, "inputCount") && !$Object.is(message.inputCount, 0))
                    writer.uint32(/* id 2, wireType 1 =*/17).double(message.inputCount);
                if (message.empirical != null && $Object.hasOwnProperty.call(message, "empirical"))
                    $root.fisherd.v1.OutputGradFactor.encode(message.empirical, writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                if (message.sampled != null && $Object.hasOwnProperty.call(message, "sampled"))
                    $root.fisherd.v1.OutputGradFactor.encode(message.sampled, writer.uint32(/* id 4, wireType 2 =*/34).fork(), _depth + 1).ldelim();
                if (message.samplesPerExample != null && $Object.hasOwnProperty.call(message, "samplesPerExample") && message.samplesPerExample !== 0)
                    writer.uint32(/* id 5, wireType 0 =*/40).uint32(message.samplesPerExample);
                if (message.exact != null && $Object.hasOwnProperty.call(message, "exact"))
                    $root.fisherd.v1.OutputGradFactor.encode(message.exact, writer.uint32(/* id 6, wireType 2 =*/50).fork(), _depth + 1).ldelim();
                if (message.eigenbasisSquares != null && $Object.hasOwnProperty.call(message, "eigenbasisSquares") && message.eigenbasisSquares.length)
                    writer.uint32(/* id 7, wireType 2 =*/58).bytes(message.eigenbasisSquares);
                if (message.eigenbasisCount != null && $Object.hasOwnProperty.call(message, "eigenbasisCount") && !$Object.is(message.eigenbasisCount, 0))
                    writer.uint32(/* id 8, wireType 1 =*/65).double(message.eigenbasisCount);
                if (message.basisVersion != null && $Object.hasOwnProperty.call(message, "basisVersion") && message.basisVersion !== 0)
                    writer.uint32(/* id 9, wireType 0 =*/72).uint32(message.basisVersion);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a KroneckerFactors message from the specified reader or buffer.
             * @function decode
             * @memberof fisherd.v1.KroneckerFactors
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fisherd.v1.KroneckerFactors & fisherd.v1.KroneckerFactors.$Shape} KroneckerFactors
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            KroneckerFactors.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fisherd.v1.KroneckerFactors();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.inputSum = value;
                            else
                                delete message.inputSum;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.inputCount = value;
                            else
                                delete message.inputCount;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            message.empirical = $root.fisherd.v1.OutputGradFactor.decode(reader, reader.size(), $undefined, _depth + 1, message.empirical);
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            message.sampled = $root.fisherd.v1.OutputGradFactor.decode(reader, reader.size(), $undefined, _depth + 1, message.sampled);
                            continue;
                        }
                    case 5: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.samplesPerExample = value;
                            else
                                delete message.samplesPerExample;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 2)
                                break;
                            message.exact = $root.fisherd.v1.OutputGradFactor.decode(reader, reader.size(), $undefined, _depth + 1, message.exact);
                            continue;
                        }
                    case 7: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.eigenbasisSquares = value;
                            else
                                delete message.eigenbasisSquares;
                            continue;
                        }
                    case 8: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.eigenbasisCount = value;
                            else
                                delete message.eigenbasisCount;
                            continue;
                        }
                    case 9: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.basisVersion = value;
                            else
                                delete message.basisVersion;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a KroneckerFactors message.
             * @function verify
             * @memberof fisherd.v1.KroneckerFactors
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            KroneckerFactors.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.inputSum != null && $Object.hasOwnProperty.call(message, "inputSum"))
                    if (!(message.inputSum && typeof message.inputSum.length === "number" || $util.isString(message.inputSum)))
                        return "inputSum: buffer expected";
                if (message.inputCount != null && $Object.hasOwnProperty.call(message, "inputCount"))
                    if (typeof message.inputCount !== "number")
                        return "inputCount: number expected";
                if (message.empirical != null && $Object.hasOwnProperty.call(message, "empirical")) {
                    let error = $root.fisherd.v1.OutputGradFactor.verify(message.empirical, _depth + 1);
                    if (error)
                        return "empirical." + error;
                }
                if (message.sampled != null && $Object.hasOwnProperty.call(message, "sampled")) {
                    let error = $root.fisherd.v1.OutputGradFactor.verify(message.sampled, _depth + 1);
                    if (error)
                        return "sampled." + error;
                }
                if (message.samplesPerExample != null && $Object.hasOwnProperty.call(message, "samplesPerExample"))
                    if (!$util.isInteger(message.samplesPerExample))
                        return "samplesPerExample: integer expected";
                if (message.exact != null && $Object.hasOwnProperty.call(message, "exact")) {
                    let error = $root.fisherd.v1.OutputGradFactor.verify(message.exact, _depth + 1);
                    if (error)
                        return "exact." + error;
                }
                if (message.eigenbasisSquares != null && $Object.hasOwnProperty.call(message, "eigenbasisSquares"))
                    if (!(message.eigenbasisSquares && typeof message.eigenbasisSquares.length === "number" || $util.isString(message.eigenbasisSquares)))
                        return "eigenbasisSquares: buffer expected";
                if (message.eigenbasisCount != null && $Object.hasOwnProperty.call(message, "eigenbasisCount"))
                    if (typeof message.eigenbasisCount !== "number")
                        return "eigenbasisCount: number expected";
                if (message.basisVersion != null && $Object.hasOwnProperty.call(message, "basisVersion"))
                    if (!$util.isInteger(message.basisVersion))
                        return "basisVersion: integer expected";
                return null;
            };

            /**
             * Creates a KroneckerFactors message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fisherd.v1.KroneckerFactors
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fisherd.v1.KroneckerFactors} KroneckerFactors
             */
            KroneckerFactors.fromObject = function (object, _depth) {
                if (object instanceof $root.fisherd.v1.KroneckerFactors)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fisherd.v1.KroneckerFactors: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fisherd.v1.KroneckerFactors();
                if (object.inputSum != null)
                    if (object.inputSum.length)
                        if (typeof object.inputSum === "string")
                            $util.base64.decode(object.inputSum, message.inputSum = $util.newBuffer($util.base64.length(object.inputSum)), 0);
                        else if (object.inputSum.length >= 0)
                            message.inputSum = object.inputSum;
                if (object.inputCount != null)
                    if (!$Object.is($Number(object.inputCount), 0))
                        message.inputCount = $Number(object.inputCount);
                if (object.empirical != null) {
                    if (!$util.isObject(object.empirical))
                        throw $TypeError(".fisherd.v1.KroneckerFactors.empirical: object expected");
                    message.empirical = $root.fisherd.v1.OutputGradFactor.fromObject(object.empirical, _depth + 1);
                }
                if (object.sampled != null) {
                    if (!$util.isObject(object.sampled))
                        throw $TypeError(".fisherd.v1.KroneckerFactors.sampled: object expected");
                    message.sampled = $root.fisherd.v1.OutputGradFactor.fromObject(object.sampled, _depth + 1);
                }
                if (object.samplesPerExample != null)
                    if ($Number(object.samplesPerExample) !== 0)
                        message.samplesPerExample = object.samplesPerExample >>> 0;
                if (object.exact != null) {
                    if (!$util.isObject(object.exact))
                        throw $TypeError(".fisherd.v1.KroneckerFactors.exact: object expected");
                    message.exact = $root.fisherd.v1.OutputGradFactor.fromObject(object.exact, _depth + 1);
                }
                if (object.eigenbasisSquares != null)
                    if (object.eigenbasisSquares.length)
                        if (typeof object.eigenbasisSquares === "string")
                            $util.base64.decode(object.eigenbasisSquares, message.eigenbasisSquares = $util.newBuffer($util.base64.length(object.eigenbasisSquares)), 0);
                        else if (object.eigenbasisSquares.length >= 0)
                            message.eigenbasisSquares = object.eigenbasisSquares;
                if (object.eigenbasisCount != null)
                    if (!$Object.is($Number(object.eigenbasisCount), 0))
                        message.eigenbasisCount = $Number(object.eigenbasisCount);
                if (object.basisVersion != null)
                    if ($Number(object.basisVersion) !== 0)
                        message.basisVersion = object.basisVersion >>> 0;
                return message;
            };

            /**
             * Creates a plain object from a KroneckerFactors message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fisherd.v1.KroneckerFactors
             * @static
             * @param {fisherd.v1.KroneckerFactors} message KroneckerFactors
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            KroneckerFactors.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    if (options.bytes === $String)
                        object.inputSum = "";
                    else {
                        object.inputSum = [];
                        if (options.bytes !== $Array)
                            object.inputSum = $util.newBuffer(object.inputSum);
                    }
                    object.inputCount = 0;
                    object.empirical = null;
                    object.sampled = null;
                    object.samplesPerExample = 0;
                    object.exact = null;
                    if (options.bytes === $String)
                        object.eigenbasisSquares = "";
                    else {
                        object.eigenbasisSquares = [];
                        if (options.bytes !== $Array)
                            object.eigenbasisSquares = $util.newBuffer(object.eigenbasisSquares);
                    }
                    object.eigenbasisCount = 0;
                    object.basisVersion = 0;
                }
                if (message.inputSum != null && $Object.hasOwnProperty.call(message, "inputSum"))
                    object.inputSum = options.bytes === $String ? $util.base64.encode(message.inputSum, 0, message.inputSum.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.inputSum) : message.inputSum;
                if (message.inputCount != null && $Object.hasOwnProperty.call(message, "inputCount"))
                    object.inputCount = options.json && !$isFinite(message.inputCount) ? $String(message.inputCount) : message.inputCount;
                if (message.empirical != null && $Object.hasOwnProperty.call(message, "empirical"))
                    object.empirical = $root.fisherd.v1.OutputGradFactor.toObject(message.empirical, options, _depth + 1);
                if (message.sampled != null && $Object.hasOwnProperty.call(message, "sampled"))
                    object.sampled = $root.fisherd.v1.OutputGradFactor.toObject(message.sampled, options, _depth + 1);
                if (message.samplesPerExample != null && $Object.hasOwnProperty.call(message, "samplesPerExample"))
                    object.samplesPerExample = message.samplesPerExample;
                if (message.exact != null && $Object.hasOwnProperty.call(message, "exact"))
                    object.exact = $root.fisherd.v1.OutputGradFactor.toObject(message.exact, options, _depth + 1);
                if (message.eigenbasisSquares != null && $Object.hasOwnProperty.call(message, "eigenbasisSquares"))
                    object.eigenbasisSquares = options.bytes === $String ? $util.base64.encode(message.eigenbasisSquares, 0, message.eigenbasisSquares.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.eigenbasisSquares) : message.eigenbasisSquares;
                if (message.eigenbasisCount != null && $Object.hasOwnProperty.call(message, "eigenbasisCount"))
                    object.eigenbasisCount = options.json && !$isFinite(message.eigenbasisCount) ? $String(message.eigenbasisCount) : message.eigenbasisCount;
                if (message.basisVersion != null && $Object.hasOwnProperty.call(message, "basisVersion"))
                    object.basisVersion = message.basisVersion;
                return object;
            };

            /**
             * Converts this KroneckerFactors to JSON.
             * @function toJSON
             * @memberof fisherd.v1.KroneckerFactors
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            KroneckerFactors.prototype.toJSON = function() {
                return KroneckerFactors.toObject(this, $protobuf.util.toJSONOptions);
            };

            return KroneckerFactors;
        })();

        v1.OutputGradFactor = (function() {

            /**
             * Properties of an OutputGradFactor.
             * @typedef {Object} fisherd.v1.OutputGradFactor.$Properties
             * @property {Uint8Array|null} [sum] OutputGradFactor sum
             * @property {number|null} [count] OutputGradFactor count
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an OutputGradFactor.
             * @memberof fisherd.v1
             * @interface IOutputGradFactor
             * @augments fisherd.v1.OutputGradFactor.$Properties
             * @deprecated Use fisherd.v1.OutputGradFactor.$Properties instead.
             */

            /**
             * Shape of an OutputGradFactor.
             * @typedef {fisherd.v1.OutputGradFactor.$Properties} fisherd.v1.OutputGradFactor.$Shape
             */

            /**
             * Constructs a new OutputGradFactor.
             * @memberof fisherd.v1
             * @classdesc One output-gradient factor sum: out×out packed upper triangle (see KroneckerFactors), and its divisor.
             * @constructor
             * @param {fisherd.v1.OutputGradFactor.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const OutputGradFactor = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * OutputGradFactor sum.
             * @member {Uint8Array} sum
             * @memberof fisherd.v1.OutputGradFactor
             * @instance
             */
            OutputGradFactor.prototype.sum = $util.newBuffer([]);

            /**
             * OutputGradFactor count.
             * @member {number} count
             * @memberof fisherd.v1.OutputGradFactor
             * @instance
             */
            OutputGradFactor.prototype.count = 0;

            /**
             * Creates a new OutputGradFactor instance using the specified properties.
             * @function create
             * @memberof fisherd.v1.OutputGradFactor
             * @static
             * @param {fisherd.v1.OutputGradFactor.$Properties=} [properties] Properties to set
             * @returns {fisherd.v1.OutputGradFactor} OutputGradFactor instance
             * @type {{
             *   (properties: fisherd.v1.OutputGradFactor.$Shape): fisherd.v1.OutputGradFactor & fisherd.v1.OutputGradFactor.$Shape;
             *   (properties?: fisherd.v1.OutputGradFactor.$Properties): fisherd.v1.OutputGradFactor;
             * }}
             */
            OutputGradFactor.create = function(properties) {
                return new OutputGradFactor(properties);
            };

            /**
             * Encodes the specified OutputGradFactor message. Does not implicitly {@link fisherd.v1.OutputGradFactor.verify|verify} messages.
             * @function encode
             * @memberof fisherd.v1.OutputGradFactor
             * @static
             * @param {fisherd.v1.OutputGradFactor.$Properties} message OutputGradFactor message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            OutputGradFactor.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.sum != null && $Object.hasOwnProperty.call(message, "sum") && message.sum.length)
                    writer.uint32(/* id 1, wireType 2 =*/10).bytes(message.sum);
                if (message.count != null && $Object.hasOwnProperty.call(message, "count") && !$Object.is(message.count, 0))
                    writer.uint32(/* id 2, wireType 1 =*/17).double(message.count);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes an OutputGradFactor message from the specified reader or buffer.
             * @function decode
             * @memberof fisherd.v1.OutputGradFactor
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fisherd.v1.OutputGradFactor & fisherd.v1.OutputGradFactor.$Shape} OutputGradFactor
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            OutputGradFactor.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fisherd.v1.OutputGradFactor();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.sum = value;
                            else
                                delete message.sum;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.count = value;
                            else
                                delete message.count;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies an OutputGradFactor message.
             * @function verify
             * @memberof fisherd.v1.OutputGradFactor
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            OutputGradFactor.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.sum != null && $Object.hasOwnProperty.call(message, "sum"))
                    if (!(message.sum && typeof message.sum.length === "number" || $util.isString(message.sum)))
                        return "sum: buffer expected";
                if (message.count != null && $Object.hasOwnProperty.call(message, "count"))
                    if (typeof message.count !== "number")
                        return "count: number expected";
                return null;
            };

            /**
             * Creates an OutputGradFactor message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fisherd.v1.OutputGradFactor
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fisherd.v1.OutputGradFactor} OutputGradFactor
             */
            OutputGradFactor.fromObject = function (object, _depth) {
                if (object instanceof $root.fisherd.v1.OutputGradFactor)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fisherd.v1.OutputGradFactor: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fisherd.v1.OutputGradFactor();
                if (object.sum != null)
                    if (object.sum.length)
                        if (typeof object.sum === "string")
                            $util.base64.decode(object.sum, message.sum = $util.newBuffer($util.base64.length(object.sum)), 0);
                        else if (object.sum.length >= 0)
                            message.sum = object.sum;
                if (object.count != null)
                    if (!$Object.is($Number(object.count), 0))
                        message.count = $Number(object.count);
                return message;
            };

            /**
             * Creates a plain object from an OutputGradFactor message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fisherd.v1.OutputGradFactor
             * @static
             * @param {fisherd.v1.OutputGradFactor} message OutputGradFactor
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            OutputGradFactor.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    if (options.bytes === $String)
                        object.sum = "";
                    else {
                        object.sum = [];
                        if (options.bytes !== $Array)
                            object.sum = $util.newBuffer(object.sum);
                    }
                    object.count = 0;
                }
                if (message.sum != null && $Object.hasOwnProperty.call(message, "sum"))
                    object.sum = options.bytes === $String ? $util.base64.encode(message.sum, 0, message.sum.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.sum) : message.sum;
                if (message.count != null && $Object.hasOwnProperty.call(message, "count"))
                    object.count = options.json && !$isFinite(message.count) ? $String(message.count) : message.count;
                return object;
            };

            /**
             * Converts this OutputGradFactor to JSON.
             * @function toJSON
             * @memberof fisherd.v1.OutputGradFactor
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            OutputGradFactor.prototype.toJSON = function() {
                return OutputGradFactor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return OutputGradFactor;
        })();

        v1.DiagonalMoments = (function() {

            /**
             * Properties of a DiagonalMoments.
             * @typedef {Object} fisherd.v1.DiagonalMoments.$Properties
             * @property {number|null} [count] b_w, the examples summed (>= 1); must equal StepContribution.batch_size.
             * @property {fisherd.v1.FloatEncoding|null} [encoding] How the float vectors below are encoded (default FLOAT32).
             * @property {Uint8Array|null} [sum] Σ_n r_n (always required).
             * @property {Uint8Array|null} [sumSquares] Σ_n r_n∘r_n (>= 0), for the empirical Fisher.
             * @property {Uint8Array|null} [centredSquares] M2_w = Σ_n (r_n − r̄)∘(r_n − r̄) (>= 0), r̄ = Σ_n r_n / b_w, computed in two passes over the rows:
             * for the noise covariance (the workers' M2 merge exactly, Chan et al.).
             * @property {Uint8Array|null} [sampledLabelSquares] Σ_n Σ_k r̃_{n,k}∘r̃_{n,k} (>= 0) over the K sampled-label rows per example: the Monte-Carlo Fisher.
             * @property {number|null} [samplesPerExample] K >= 1, with sampled_label_squares (the same for every block and worker).
             * @property {Uint8Array|null} [factorSquares] Σ_n Σ_c u_{n,c}∘u_{n,c} (>= 0) over the exact factor rows: the exact Fisher.
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a DiagonalMoments.
             * @memberof fisherd.v1
             * @interface IDiagonalMoments
             * @augments fisherd.v1.DiagonalMoments.$Properties
             * @deprecated Use fisherd.v1.DiagonalMoments.$Properties instead.
             */

            /**
             * Shape of a DiagonalMoments.
             * @typedef {fisherd.v1.DiagonalMoments.$Properties} fisherd.v1.DiagonalMoments.$Shape
             */

            /**
             * Constructs a new DiagonalMoments.
             * @memberof fisherd.v1
             * @classdesc Per-coordinate sums over this worker's b_w examples of the rows r_n as the client holds them (scaled
             * by `StepContribution.reduction` exactly like the rows they replace: for REDUCTION_MEAN r_n = g_n/b_w,
             * u/√b_w; fisherd multiplies back, math.md). Every vector has the block's size, in `encoding`. Sums that
             * the session's tracked estimates need are required (MISSING_INPUT naming the field); others are checked
             * and ignored. Only sessions whose tracked estimates are all diagonal accept statistics (INVALID_CONFIG).
             * @constructor
             * @param {fisherd.v1.DiagonalMoments.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const DiagonalMoments = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * b_w, the examples summed (>= 1); must equal StepContribution.batch_size.
             * @member {number} count
             * @memberof fisherd.v1.DiagonalMoments
             * @instance
             */
            DiagonalMoments.prototype.count = 0;

            /**
             * How the float vectors below are encoded (default FLOAT32).
             * @member {fisherd.v1.FloatEncoding} encoding
             * @memberof fisherd.v1.DiagonalMoments
             * @instance
             */
            DiagonalMoments.prototype.encoding = 0;

            /**
             * Σ_n r_n (always required).
             * @member {Uint8Array} sum
             * @memberof fisherd.v1.DiagonalMoments
             * @instance
             */
            DiagonalMoments.prototype.sum = $util.newBuffer([]);

            /**
             * Σ_n r_n∘r_n (>= 0), for the empirical Fisher.
             * @member {Uint8Array} sumSquares
             * @memberof fisherd.v1.DiagonalMoments
             * @instance
             */
            DiagonalMoments.prototype.sumSquares = $util.newBuffer([]);

            /**
             * M2_w = Σ_n (r_n − r̄)∘(r_n − r̄) (>= 0), r̄ = Σ_n r_n / b_w, computed in two passes over the rows:
             * for the noise covariance (the workers' M2 merge exactly, Chan et al.).
             * @member {Uint8Array} centredSquares
             * @memberof fisherd.v1.DiagonalMoments
             * @instance
             */
            DiagonalMoments.prototype.centredSquares = $util.newBuffer([]);

            /**
             * Σ_n Σ_k r̃_{n,k}∘r̃_{n,k} (>= 0) over the K sampled-label rows per example: the Monte-Carlo Fisher.
             * @member {Uint8Array} sampledLabelSquares
             * @memberof fisherd.v1.DiagonalMoments
             * @instance
             */
            DiagonalMoments.prototype.sampledLabelSquares = $util.newBuffer([]);

            /**
             * K >= 1, with sampled_label_squares (the same for every block and worker).
             * @member {number} samplesPerExample
             * @memberof fisherd.v1.DiagonalMoments
             * @instance
             */
            DiagonalMoments.prototype.samplesPerExample = 0;

            /**
             * Σ_n Σ_c u_{n,c}∘u_{n,c} (>= 0) over the exact factor rows: the exact Fisher.
             * @member {Uint8Array} factorSquares
             * @memberof fisherd.v1.DiagonalMoments
             * @instance
             */
            DiagonalMoments.prototype.factorSquares = $util.newBuffer([]);

            /**
             * Creates a new DiagonalMoments instance using the specified properties.
             * @function create
             * @memberof fisherd.v1.DiagonalMoments
             * @static
             * @param {fisherd.v1.DiagonalMoments.$Properties=} [properties] Properties to set
             * @returns {fisherd.v1.DiagonalMoments} DiagonalMoments instance
             * @type {{
             *   (properties: fisherd.v1.DiagonalMoments.$Shape): fisherd.v1.DiagonalMoments & fisherd.v1.DiagonalMoments.$Shape;
             *   (properties?: fisherd.v1.DiagonalMoments.$Properties): fisherd.v1.DiagonalMoments;
             * }}
             */
            DiagonalMoments.create = function(properties) {
                return new DiagonalMoments(properties);
            };

            /**
             * Encodes the specified DiagonalMoments message. Does not implicitly {@link fisherd.v1.DiagonalMoments.verify|verify} messages.
             * @function encode
             * @memberof fisherd.v1.DiagonalMoments
             * @static
             * @param {fisherd.v1.DiagonalMoments.$Properties} message DiagonalMoments message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            DiagonalMoments.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.count != null && $Object.hasOwnProperty.call(message, "count") && message.count !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.count);
                if (message.encoding != null && $Object.hasOwnProperty.call(message, "encoding") && message.encoding !== 0)
                    writer.uint32(/* id 2, wireType 0 =*/16).int32(message.encoding);
                if (message.sum != null && $Object.hasOwnProperty.call(message, "sum") && message.sum.length)
                    writer.uint32(/* id 3, wireType 2 =*/26).bytes(message.sum);
                if (message.sumSquares != null && $Object.hasOwnProperty.call(message, "sumSquares") && message.sumSquares.length)
                    writer.uint32(/* id 4, wireType 2 =*/34).bytes(message.sumSquares);
                if (message.centredSquares != null && $Object.hasOwnProperty.call(message, "centredSquares") && message.centredSquares.length)
                    writer.uint32(/* id 5, wireType 2 =*/42).bytes(message.centredSquares);
                if (message.sampledLabelSquares != null && $Object.hasOwnProperty.call(message, "sampledLabelSquares") && message.sampledLabelSquares.length)
                    writer.uint32(/* id 6, wireType 2 =*/50).bytes(message.sampledLabelSquares);
                if (message.samplesPerExample != null && $Object.hasOwnProperty.call(message, "samplesPerExample") && message.samplesPerExample !== 0)
                    writer.uint32(/* id 7, wireType 0 =*/56).uint32(message.samplesPerExample);
                if (message.factorSquares != null && $Object.hasOwnProperty.call(message, "factorSquares") && message.factorSquares.length)
                    writer.uint32(/* id 8, wireType 2 =*/66).bytes(message.factorSquares);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a DiagonalMoments message from the specified reader or buffer.
             * @function decode
             * @memberof fisherd.v1.DiagonalMoments
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fisherd.v1.DiagonalMoments & fisherd.v1.DiagonalMoments.$Shape} DiagonalMoments
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            DiagonalMoments.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fisherd.v1.DiagonalMoments();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.count = value;
                            else
                                delete message.count;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.encoding = value;
                            else
                                delete message.encoding;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.sum = value;
                            else
                                delete message.sum;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.sumSquares = value;
                            else
                                delete message.sumSquares;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.centredSquares = value;
                            else
                                delete message.centredSquares;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.sampledLabelSquares = value;
                            else
                                delete message.sampledLabelSquares;
                            continue;
                        }
                    case 7: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.samplesPerExample = value;
                            else
                                delete message.samplesPerExample;
                            continue;
                        }
                    case 8: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.factorSquares = value;
                            else
                                delete message.factorSquares;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a DiagonalMoments message.
             * @function verify
             * @memberof fisherd.v1.DiagonalMoments
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            DiagonalMoments.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.count != null && $Object.hasOwnProperty.call(message, "count"))
                    if (!$util.isInteger(message.count))
                        return "count: integer expected";
                if (message.encoding != null && $Object.hasOwnProperty.call(message, "encoding"))
                    if (typeof message.encoding !== "number" || (message.encoding | 0) !== message.encoding)
                        return "encoding: enum value expected";
                if (message.sum != null && $Object.hasOwnProperty.call(message, "sum"))
                    if (!(message.sum && typeof message.sum.length === "number" || $util.isString(message.sum)))
                        return "sum: buffer expected";
                if (message.sumSquares != null && $Object.hasOwnProperty.call(message, "sumSquares"))
                    if (!(message.sumSquares && typeof message.sumSquares.length === "number" || $util.isString(message.sumSquares)))
                        return "sumSquares: buffer expected";
                if (message.centredSquares != null && $Object.hasOwnProperty.call(message, "centredSquares"))
                    if (!(message.centredSquares && typeof message.centredSquares.length === "number" || $util.isString(message.centredSquares)))
                        return "centredSquares: buffer expected";
                if (message.sampledLabelSquares != null && $Object.hasOwnProperty.call(message, "sampledLabelSquares"))
                    if (!(message.sampledLabelSquares && typeof message.sampledLabelSquares.length === "number" || $util.isString(message.sampledLabelSquares)))
                        return "sampledLabelSquares: buffer expected";
                if (message.samplesPerExample != null && $Object.hasOwnProperty.call(message, "samplesPerExample"))
                    if (!$util.isInteger(message.samplesPerExample))
                        return "samplesPerExample: integer expected";
                if (message.factorSquares != null && $Object.hasOwnProperty.call(message, "factorSquares"))
                    if (!(message.factorSquares && typeof message.factorSquares.length === "number" || $util.isString(message.factorSquares)))
                        return "factorSquares: buffer expected";
                return null;
            };

            /**
             * Creates a DiagonalMoments message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fisherd.v1.DiagonalMoments
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fisherd.v1.DiagonalMoments} DiagonalMoments
             */
            DiagonalMoments.fromObject = function (object, _depth) {
                if (object instanceof $root.fisherd.v1.DiagonalMoments)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fisherd.v1.DiagonalMoments: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fisherd.v1.DiagonalMoments();
                if (object.count != null)
                    if ($Number(object.count) !== 0)
                        message.count = object.count >>> 0;
                if (object.encoding !== 0 && (typeof object.encoding !== "string" || $root.fisherd.v1.FloatEncoding[object.encoding] !== 0))
                    switch (object.encoding) {
                    case "FLOAT_ENCODING_UNSPECIFIED":
                    case 0:
                        message.encoding = 0;
                        break;
                    case "FLOAT_ENCODING_FLOAT32":
                    case 1:
                        message.encoding = 1;
                        break;
                    case "FLOAT_ENCODING_FLOAT16":
                    case 2:
                        message.encoding = 2;
                        break;
                    case "FLOAT_ENCODING_BFLOAT16":
                    case 3:
                        message.encoding = 3;
                        break;
                    default:
                        if (typeof object.encoding === "number" && (object.encoding | 0) === object.encoding)
                            message.encoding = object.encoding;
                    }
                if (object.sum != null)
                    if (object.sum.length)
                        if (typeof object.sum === "string")
                            $util.base64.decode(object.sum, message.sum = $util.newBuffer($util.base64.length(object.sum)), 0);
                        else if (object.sum.length >= 0)
                            message.sum = object.sum;
                if (object.sumSquares != null)
                    if (object.sumSquares.length)
                        if (typeof object.sumSquares === "string")
                            $util.base64.decode(object.sumSquares, message.sumSquares = $util.newBuffer($util.base64.length(object.sumSquares)), 0);
                        else if (object.sumSquares.length >= 0)
                            message.sumSquares = object.sumSquares;
                if (object.centredSquares != null)
                    if (object.centredSquares.length)
                        if (typeof object.centredSquares === "string")
                            $util.base64.decode(object.centredSquares, message.centredSquares = $util.newBuffer($util.base64.length(object.centredSquares)), 0);
                        else if (object.centredSquares.length >= 0)
                            message.centredSquares = object.centredSquares;
                if (object.sampledLabelSquares != null)
                    if (object.sampledLabelSquares.length)
                        if (typeof object.sampledLabelSquares === "string")
                            $util.base64.decode(object.sampledLabelSquares, message.sampledLabelSquares = $util.newBuffer($util.base64.length(object.sampledLabelSquares)), 0);
                        else if (object.sampledLabelSquares.length >= 0)
                            message.sampledLabelSquares = object.sampledLabelSquares;
                if (object.samplesPerExample != null)
                    if ($Number(object.samplesPerExample) !== 0)
                        message.samplesPerExample = object.samplesPerExample >>> 0;
                if (object.factorSquares != null)
                    if (object.factorSquares.length)
                        if (typeof object.factorSquares === "string")
                            $util.base64.decode(object.factorSquares, message.factorSquares = $util.newBuffer($util.base64.length(object.factorSquares)), 0);
                        else if (object.factorSquares.length >= 0)
                            message.factorSquares = object.factorSquares;
                return message;
            };

            /**
             * Creates a plain object from a DiagonalMoments message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fisherd.v1.DiagonalMoments
             * @static
             * @param {fisherd.v1.DiagonalMoments} message DiagonalMoments
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            DiagonalMoments.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.count = 0;
                    object.encoding = options.enums === $String ? "FLOAT_ENCODING_UNSPECIFIED" : 0;
                    if (options.bytes === $String)
                        object.sum = "";
                    else {
                        object.sum = [];
                        if (options.bytes !== $Array)
                            object.sum = $util.newBuffer(object.sum);
                    }
                    if (options.bytes === $String)
                        object.sumSquares = "";
                    else {
                        object.sumSquares = [];
                        if (options.bytes !== $Array)
                            object.sumSquares = $util.newBuffer(object.sumSquares);
                    }
                    if (options.bytes === $String)
                        object.centredSquares = "";
                    else {
                        object.centredSquares = [];
                        if (options.bytes !== $Array)
                            object.centredSquares = $util.newBuffer(object.centredSquares);
                    }
                    if (options.bytes === $String)
                        object.sampledLabelSquares = "";
                    else {
                        object.sampledLabelSquares = [];
                        if (options.bytes !== $Array)
                            object.sampledLabelSquares = $util.newBuffer(object.sampledLabelSquares);
                    }
                    object.samplesPerExample = 0;
                    if (options.bytes === $String)
                        object.factorSquares = "";
                    else {
                        object.factorSquares = [];
                        if (options.bytes !== $Array)
                            object.factorSquares = $util.newBuffer(object.factorSquares);
                    }
                }
                if (message.count != null && $Object.hasOwnProperty.call(message, "count"))
                    object.count = message.count;
                if (message.encoding != null && $Object.hasOwnProperty.call(message, "encoding"))
                    object.encoding = options.enums === $String ? $root.fisherd.v1.FloatEncoding[message.encoding] === $undefined ? message.encoding : $root.fisherd.v1.FloatEncoding[message.encoding] : message.encoding;
                if (message.sum != null && $Object.hasOwnProperty.call(message, "sum"))
                    object.sum = options.bytes === $String ? $util.base64.encode(message.sum, 0, message.sum.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.sum) : message.sum;
                if (message.sumSquares != null && $Object.hasOwnProperty.call(message, "sumSquares"))
                    object.sumSquares = options.bytes === $String ? $util.base64.encode(message.sumSquares, 0, message.sumSquares.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.sumSquares) : message.sumSquares;
                if (message.centredSquares != null && $Object.hasOwnProperty.call(message, "centredSquares"))
                    object.centredSquares = options.bytes === $String ? $util.base64.encode(message.centredSquares, 0, message.centredSquares.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.centredSquares) : message.centredSquares;
                if (message.sampledLabelSquares != null && $Object.hasOwnProperty.call(message, "sampledLabelSquares"))
                    object.sampledLabelSquares = options.bytes === $String ? $util.base64.encode(message.sampledLabelSquares, 0, message.sampledLabelSquares.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.sampledLabelSquares) : message.sampledLabelSquares;
                if (message.samplesPerExample != null && $Object.hasOwnProperty.call(message, "samplesPerExample"))
                    object.samplesPerExample = message.samplesPerExample;
                if (message.factorSquares != null && $Object.hasOwnProperty.call(message, "factorSquares"))
                    object.factorSquares = options.bytes === $String ? $util.base64.encode(message.factorSquares, 0, message.factorSquares.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.factorSquares) : message.factorSquares;
                return object;
            };

            /**
             * Converts this DiagonalMoments to JSON.
             * @function toJSON
             * @memberof fisherd.v1.DiagonalMoments
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            DiagonalMoments.prototype.toJSON = function() {
                return DiagonalMoments.toObject(this, $protobuf.util.toJSONOptions);
            };

            return DiagonalMoments;
        })();

        /**
         * Encoding of a float vector in `bytes`, little-endian.
         * @name fisherd.v1.FloatEncoding
         * @enum {number}
         * @property {number} FLOAT_ENCODING_UNSPECIFIED=0 treated as FLOAT32
         * @property {number} FLOAT_ENCODING_FLOAT32=1 IEEE-754 binary32, 4 bytes per value
         * @property {number} FLOAT_ENCODING_FLOAT16=2 IEEE-754 binary16, 2 bytes (|x| <= 65504, 11 significant bits)
         * @property {number} FLOAT_ENCODING_BFLOAT16=3 bfloat16 (the top half of a binary32), 2 bytes (8 significant bits)
         */
        v1.FloatEncoding = (function() {
            const valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "FLOAT_ENCODING_UNSPECIFIED"] = 0;
            values[valuesById[1] = "FLOAT_ENCODING_FLOAT32"] = 1;
            values[valuesById[2] = "FLOAT_ENCODING_FLOAT16"] = 2;
            values[valuesById[3] = "FLOAT_ENCODING_BFLOAT16"] = 3;
            return values;
        })();

        /**
         * How the client's loss was reduced over its b_w examples.
         * @name fisherd.v1.Reduction
         * @enum {number}
         * @property {number} REDUCTION_UNSPECIFIED=0 Rejected (INVALID_CONFIG): a wrong guess would silently rescale every estimate.
         * @property {number} REDUCTION_MEAN=1 Loss = (1/b_w) Σ ℓ_n: per-example rows arrive as g_n / b_w (BackPACK's BatchGrad with mean
         * reduction), factor rows as u / √b_w, mean_grad as ḡ. fisherd multiplies back.
         * @property {number} REDUCTION_SUM=2 Loss = Σ ℓ_n: rows arrive as g_n and u, mean_grad as Σ g_n (fisherd divides by b_w).
         */
        v1.Reduction = (function() {
            const valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "REDUCTION_UNSPECIFIED"] = 0;
            values[valuesById[1] = "REDUCTION_MEAN"] = 1;
            values[valuesById[2] = "REDUCTION_SUM"] = 2;
            return values;
        })();

        v1.SampledLabelGrads = (function() {

            /**
             * Properties of a SampledLabelGrads.
             * @typedef {Object} fisherd.v1.SampledLabelGrads.$Properties
             * @property {number|null} [samplesPerExample] K >= 1 labels sampled per example.
             * @property {Uint8Array|null} [rows] batch_size·K rows of D, row-major little-endian float32, the K rows of example n consecutive.
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a SampledLabelGrads.
             * @memberof fisherd.v1
             * @interface ISampledLabelGrads
             * @augments fisherd.v1.SampledLabelGrads.$Properties
             * @deprecated Use fisherd.v1.SampledLabelGrads.$Properties instead.
             */

            /**
             * Shape of a SampledLabelGrads.
             * @typedef {fisherd.v1.SampledLabelGrads.$Properties} fisherd.v1.SampledLabelGrads.$Shape
             */

            /**
             * Constructs a new SampledLabelGrads.
             * @memberof fisherd.v1
             * @classdesc Represents a SampledLabelGrads.
             * @constructor
             * @param {fisherd.v1.SampledLabelGrads.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const SampledLabelGrads = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * K >= 1 labels sampled per example.
             * @member {number} samplesPerExample
             * @memberof fisherd.v1.SampledLabelGrads
             * @instance
             */
            SampledLabelGrads.prototype.samplesPerExample = 0;

            /**
             * batch_size·K rows of D, row-major little-endian float32, the K rows of example n consecutive.
             * @member {Uint8Array} rows
             * @memberof fisherd.v1.SampledLabelGrads
             * @instance
             */
            SampledLabelGrads.prototype.rows = $util.newBuffer([]);

            /**
             * Creates a new SampledLabelGrads instance using the specified properties.
             * @function create
             * @memberof fisherd.v1.SampledLabelGrads
             * @static
             * @param {fisherd.v1.SampledLabelGrads.$Properties=} [properties] Properties to set
             * @returns {fisherd.v1.SampledLabelGrads} SampledLabelGrads instance
             * @type {{
             *   (properties: fisherd.v1.SampledLabelGrads.$Shape): fisherd.v1.SampledLabelGrads & fisherd.v1.SampledLabelGrads.$Shape;
             *   (properties?: fisherd.v1.SampledLabelGrads.$Properties): fisherd.v1.SampledLabelGrads;
             * }}
             */
            SampledLabelGrads.create = function(properties) {
                return new SampledLabelGrads(properties);
            };

            /**
             * Encodes the specified SampledLabelGrads message. Does not implicitly {@link fisherd.v1.SampledLabelGrads.verify|verify} messages.
             * @function encode
             * @memberof fisherd.v1.SampledLabelGrads
             * @static
             * @param {fisherd.v1.SampledLabelGrads.$Properties} message SampledLabelGrads message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            SampledLabelGrads.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.samplesPerExample != null && $Object.hasOwnProperty.call(message, "samplesPerExample") && message.samplesPerExample !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.samplesPerExample);
                if (message.rows != null && $Object.hasOwnProperty.call(message, "rows") && message.rows.length)
                    writer.uint32(/* id 2, wireType 2 =*/18).bytes(message.rows);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a SampledLabelGrads message from the specified reader or buffer.
             * @function decode
             * @memberof fisherd.v1.SampledLabelGrads
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fisherd.v1.SampledLabelGrads & fisherd.v1.SampledLabelGrads.$Shape} SampledLabelGrads
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            SampledLabelGrads.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fisherd.v1.SampledLabelGrads();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.samplesPerExample = value;
                            else
                                delete message.samplesPerExample;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.rows = value;
                            else
                                delete message.rows;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a SampledLabelGrads message.
             * @function verify
             * @memberof fisherd.v1.SampledLabelGrads
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            SampledLabelGrads.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.samplesPerExample != null && $Object.hasOwnProperty.call(message, "samplesPerExample"))
                    if (!$util.isInteger(message.samplesPerExample))
                        return "samplesPerExample: integer expected";
                if (message.rows != null && $Object.hasOwnProperty.call(message, "rows"))
                    if (!(message.rows && typeof message.rows.length === "number" || $util.isString(message.rows)))
                        return "rows: buffer expected";
                return null;
            };

            /**
             * Creates a SampledLabelGrads message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fisherd.v1.SampledLabelGrads
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fisherd.v1.SampledLabelGrads} SampledLabelGrads
             */
            SampledLabelGrads.fromObject = function (object, _depth) {
                if (object instanceof $root.fisherd.v1.SampledLabelGrads)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fisherd.v1.SampledLabelGrads: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fisherd.v1.SampledLabelGrads();
                if (object.samplesPerExample != null)
                    if ($Number(object.samplesPerExample) !== 0)
                        message.samplesPerExample = object.samplesPerExample >>> 0;
                if (object.rows != null)
                    if (object.rows.length)
                        if (typeof object.rows === "string")
                            $util.base64.decode(object.rows, message.rows = $util.newBuffer($util.base64.length(object.rows)), 0);
                        else if (object.rows.length >= 0)
                            message.rows = object.rows;
                return message;
            };

            /**
             * Creates a plain object from a SampledLabelGrads message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fisherd.v1.SampledLabelGrads
             * @static
             * @param {fisherd.v1.SampledLabelGrads} message SampledLabelGrads
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            SampledLabelGrads.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.samplesPerExample = 0;
                    if (options.bytes === $String)
                        object.rows = "";
                    else {
                        object.rows = [];
                        if (options.bytes !== $Array)
                            object.rows = $util.newBuffer(object.rows);
                    }
                }
                if (message.samplesPerExample != null && $Object.hasOwnProperty.call(message, "samplesPerExample"))
                    object.samplesPerExample = message.samplesPerExample;
                if (message.rows != null && $Object.hasOwnProperty.call(message, "rows"))
                    object.rows = options.bytes === $String ? $util.base64.encode(message.rows, 0, message.rows.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.rows) : message.rows;
                return object;
            };

            /**
             * Converts this SampledLabelGrads to JSON.
             * @function toJSON
             * @memberof fisherd.v1.SampledLabelGrads
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            SampledLabelGrads.prototype.toJSON = function() {
                return SampledLabelGrads.toObject(this, $protobuf.util.toJSONOptions);
            };

            return SampledLabelGrads;
        })();

        v1.FisherFactorRows = (function() {

            /**
             * Properties of a FisherFactorRows.
             * @typedef {Object} fisherd.v1.FisherFactorRows.$Properties
             * @property {number|null} [factorsPerExample] C >= 1 factor rows per example (e.g. the number of classes for softmax).
             * @property {Uint8Array|null} [rows] batch_size·C rows of D, row-major little-endian float32, the C rows of example n consecutive.
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a FisherFactorRows.
             * @memberof fisherd.v1
             * @interface IFisherFactorRows
             * @augments fisherd.v1.FisherFactorRows.$Properties
             * @deprecated Use fisherd.v1.FisherFactorRows.$Properties instead.
             */

            /**
             * Shape of a FisherFactorRows.
             * @typedef {fisherd.v1.FisherFactorRows.$Properties} fisherd.v1.FisherFactorRows.$Shape
             */

            /**
             * Constructs a new FisherFactorRows.
             * @memberof fisherd.v1
             * @classdesc Represents a FisherFactorRows.
             * @constructor
             * @param {fisherd.v1.FisherFactorRows.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const FisherFactorRows = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * C >= 1 factor rows per example (e.g. the number of classes for softmax).
             * @member {number} factorsPerExample
             * @memberof fisherd.v1.FisherFactorRows
             * @instance
             */
            FisherFactorRows.prototype.factorsPerExample = 0;

            /**
             * batch_size·C rows of D, row-major little-endian float32, the C rows of example n consecutive.
             * @member {Uint8Array} rows
             * @memberof fisherd.v1.FisherFactorRows
             * @instance
             */
            FisherFactorRows.prototype.rows = $util.newBuffer([]);

            /**
             * Creates a new FisherFactorRows instance using the specified properties.
             * @function create
             * @memberof fisherd.v1.FisherFactorRows
             * @static
             * @param {fisherd.v1.FisherFactorRows.$Properties=} [properties] Properties to set
             * @returns {fisherd.v1.FisherFactorRows} FisherFactorRows instance
             * @type {{
             *   (properties: fisherd.v1.FisherFactorRows.$Shape): fisherd.v1.FisherFactorRows & fisherd.v1.FisherFactorRows.$Shape;
             *   (properties?: fisherd.v1.FisherFactorRows.$Properties): fisherd.v1.FisherFactorRows;
             * }}
             */
            FisherFactorRows.create = function(properties) {
                return new FisherFactorRows(properties);
            };

            /**
             * Encodes the specified FisherFactorRows message. Does not implicitly {@link fisherd.v1.FisherFactorRows.verify|verify} messages.
             * @function encode
             * @memberof fisherd.v1.FisherFactorRows
             * @static
             * @param {fisherd.v1.FisherFactorRows.$Properties} message FisherFactorRows message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            FisherFactorRows.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.factorsPerExample != null && $Object.hasOwnProperty.call(message, "factorsPerExample") && message.factorsPerExample !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.factorsPerExample);
                if (message.rows != null && $Object.hasOwnProperty.call(message, "rows") && message.rows.length)
                    writer.uint32(/* id 2, wireType 2 =*/18).bytes(message.rows);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a FisherFactorRows message from the specified reader or buffer.
             * @function decode
             * @memberof fisherd.v1.FisherFactorRows
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fisherd.v1.FisherFactorRows & fisherd.v1.FisherFactorRows.$Shape} FisherFactorRows
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            FisherFactorRows.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fisherd.v1.FisherFactorRows();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.factorsPerExample = value;
                            else
                                delete message.factorsPerExample;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.rows = value;
                            else
                                delete message.rows;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a FisherFactorRows message.
             * @function verify
             * @memberof fisherd.v1.FisherFactorRows
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            FisherFactorRows.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.factorsPerExample != null && $Object.hasOwnProperty.call(message, "factorsPerExample"))
                    if (!$util.isInteger(message.factorsPerExample))
                        return "factorsPerExample: integer expected";
                if (message.rows != null && $Object.hasOwnProperty.call(message, "rows"))
                    if (!(message.rows && typeof message.rows.length === "number" || $util.isString(message.rows)))
                        return "rows: buffer expected";
                return null;
            };

            /**
             * Creates a FisherFactorRows message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fisherd.v1.FisherFactorRows
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fisherd.v1.FisherFactorRows} FisherFactorRows
             */
            FisherFactorRows.fromObject = function (object, _depth) {
                if (object instanceof $root.fisherd.v1.FisherFactorRows)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fisherd.v1.FisherFactorRows: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fisherd.v1.FisherFactorRows();
                if (object.factorsPerExample != null)
                    if ($Number(object.factorsPerExample) !== 0)
                        message.factorsPerExample = object.factorsPerExample >>> 0;
                if (object.rows != null)
                    if (object.rows.length)
                        if (typeof object.rows === "string")
                            $util.base64.decode(object.rows, message.rows = $util.newBuffer($util.base64.length(object.rows)), 0);
                        else if (object.rows.length >= 0)
                            message.rows = object.rows;
                return message;
            };

            /**
             * Creates a plain object from a FisherFactorRows message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fisherd.v1.FisherFactorRows
             * @static
             * @param {fisherd.v1.FisherFactorRows} message FisherFactorRows
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            FisherFactorRows.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.factorsPerExample = 0;
                    if (options.bytes === $String)
                        object.rows = "";
                    else {
                        object.rows = [];
                        if (options.bytes !== $Array)
                            object.rows = $util.newBuffer(object.rows);
                    }
                }
                if (message.factorsPerExample != null && $Object.hasOwnProperty.call(message, "factorsPerExample"))
                    object.factorsPerExample = message.factorsPerExample;
                if (message.rows != null && $Object.hasOwnProperty.call(message, "rows"))
                    object.rows = options.bytes === $String ? $util.base64.encode(message.rows, 0, message.rows.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.rows) : message.rows;
                return object;
            };

            /**
             * Converts this FisherFactorRows to JSON.
             * @function toJSON
             * @memberof fisherd.v1.FisherFactorRows
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            FisherFactorRows.prototype.toJSON = function() {
                return FisherFactorRows.toObject(this, $protobuf.util.toJSONOptions);
            };

            return FisherFactorRows;
        })();

        v1.EstimatesRequest = (function() {

            /**
             * Properties of an EstimatesRequest.
             * @typedef {Object} fisherd.v1.EstimatesRequest.$Properties
             * @property {number|null} [topK] How many of the largest eigenvalues to report per estimate (default 5, at most 64).
             * @property {boolean|null} [includeDiagonals] Whether to include the diagonals and ḡ (default false; they are large for large D).
             * @property {number|null} [diagonalOffset] With include_diagonals: the coordinates [diagonal_offset, diagonal_offset + diagonal_length) of each
             * diagonal and of ḡ (default 0 and 0 = up to D). A reply is at most --max-reply-bytes (default 64 MiB):
             * (tracked estimates + 1) × length × 8 bytes; a larger range is refused with INVALID_CONFIG naming the
             * largest length that fits, so a large D is read in ranges. One such request per connection at a time.
             * @property {number|null} [diagonalLength] EstimatesRequest diagonalLength
             * @property {string|null} [kroneckerBasis] The name of a Kronecker block whose installed eigenbases to return (Estimates.kronecker_bases), e.g.
             * for a client that computes EKFAC's eigenbasis_squares (KroneckerStatistics) on its device; empty:
             * none. UNKNOWN_BLOCK / INVALID_CONFIG (not kronecker) naming this field. The reply holds
             * 4·(out² + in'²) bytes per tracked Fisher, at most --max-reply-bytes (INVALID_CONFIG beyond).
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an EstimatesRequest.
             * @memberof fisherd.v1
             * @interface IEstimatesRequest
             * @augments fisherd.v1.EstimatesRequest.$Properties
             * @deprecated Use fisherd.v1.EstimatesRequest.$Properties instead.
             */

            /**
             * Shape of an EstimatesRequest.
             * @typedef {fisherd.v1.EstimatesRequest.$Properties} fisherd.v1.EstimatesRequest.$Shape
             */

            /**
             * Constructs a new EstimatesRequest.
             * @memberof fisherd.v1
             * @classdesc Asks for the session's current (bias-corrected) estimates.
             * @constructor
             * @param {fisherd.v1.EstimatesRequest.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const EstimatesRequest = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * How many of the largest eigenvalues to report per estimate (default 5, at most 64).
             * @member {number} topK
             * @memberof fisherd.v1.EstimatesRequest
             * @instance
             */
            EstimatesRequest.prototype.topK = 0;

            /**
             * Whether to include the diagonals and ḡ (default false; they are large for large D).
             * @member {boolean} includeDiagonals
             * @memberof fisherd.v1.EstimatesRequest
             * @instance
             */
            EstimatesRequest.prototype.includeDiagonals = false;

            /**
             * With include_diagonals: the coordinates [diagonal_offset, diagonal_offset + diagonal_length) of each
             * diagonal and of ḡ (default 0 and 0 = up to D). A reply is at most --max-reply-bytes (default 64 MiB):
             * (tracked estimates + 1) × length × 8 bytes; a larger range is refused with INVALID_CONFIG naming the
             * largest length that fits, so a large D is read in ranges. One such request per connection at a time.
             * @member {number} diagonalOffset
             * @memberof fisherd.v1.EstimatesRequest
             * @instance
             */
            EstimatesRequest.prototype.diagonalOffset = 0;

            /**
             * EstimatesRequest diagonalLength.
             * @member {number} diagonalLength
             * @memberof fisherd.v1.EstimatesRequest
             * @instance
             */
            EstimatesRequest.prototype.diagonalLength = 0;

            /**
             * The name of a Kronecker block whose installed eigenbases to return (Estimates.kronecker_bases), e.g.
             * for a client that computes EKFAC's eigenbasis_squares (KroneckerStatistics) on its device; empty:
             * none. UNKNOWN_BLOCK / INVALID_CONFIG (not kronecker) naming this field. The reply holds
             * 4·(out² + in'²) bytes per tracked Fisher, at most --max-reply-bytes (INVALID_CONFIG beyond).
             * @member {string} kroneckerBasis
             * @memberof fisherd.v1.EstimatesRequest
             * @instance
             */
            EstimatesRequest.prototype.kroneckerBasis = "";

            /**
             * Creates a new EstimatesRequest instance using the specified properties.
             * @function create
             * @memberof fisherd.v1.EstimatesRequest
             * @static
             * @param {fisherd.v1.EstimatesRequest.$Properties=} [properties] Properties to set
             * @returns {fisherd.v1.EstimatesRequest} EstimatesRequest instance
             * @type {{
             *   (properties: fisherd.v1.EstimatesRequest.$Shape): fisherd.v1.EstimatesRequest & fisherd.v1.EstimatesRequest.$Shape;
             *   (properties?: fisherd.v1.EstimatesRequest.$Properties): fisherd.v1.EstimatesRequest;
             * }}
             */
            EstimatesRequest.create = function(properties) {
                return new EstimatesRequest(properties);
            };

            /**
             * Encodes the specified EstimatesRequest message. Does not implicitly {@link fisherd.v1.EstimatesRequest.verify|verify} messages.
             * @function encode
             * @memberof fisherd.v1.EstimatesRequest
             * @static
             * @param {fisherd.v1.EstimatesRequest.$Properties} message EstimatesRequest message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            EstimatesRequest.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.topK != null && $Object.hasOwnProperty.call(message, "topK") && message.topK !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.topK);
                if (message.includeDiagonals != null && $Object.hasOwnProperty.call(message, "includeDiagonals") && message.includeDiagonals !== false)
                    writer.uint32(/* id 2, wireType 0 =*/16).bool(message.includeDiagonals);
                if (message.diagonalOffset != null && $Object.hasOwnProperty.call(message, "diagonalOffset") && message.diagonalOffset !== 0)
                    writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.diagonalOffset);
                if (message.diagonalLength != null && $Object.hasOwnProperty.call(message, "diagonalLength") && message.diagonalLength !== 0)
                    writer.uint32(/* id 4, wireType 0 =*/32).uint32(message.diagonalLength);
                if (message.kroneckerBasis != null && $Object.hasOwnProperty.call(message, "kroneckerBasis") && message.kroneckerBasis !== "")
                    writer.uint32(/* id 5, wireType 2 =*/42).string(message.kroneckerBasis);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes an EstimatesRequest message from the specified reader or buffer.
             * @function decode
             * @memberof fisherd.v1.EstimatesRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fisherd.v1.EstimatesRequest & fisherd.v1.EstimatesRequest.$Shape} EstimatesRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            EstimatesRequest.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fisherd.v1.EstimatesRequest();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.topK = value;
                            else
                                delete message.topK;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.includeDiagonals = value;
                            else
                                delete message.includeDiagonals;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.diagonalOffset = value;
                            else
                                delete message.diagonalOffset;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.diagonalLength = value;
                            else
                                delete message.diagonalLength;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.kroneckerBasis = value;
                            else
                                delete message.kroneckerBasis;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies an EstimatesRequest message.
             * @function verify
             * @memberof fisherd.v1.EstimatesRequest
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            EstimatesRequest.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.topK != null && $Object.hasOwnProperty.call(message, "topK"))
                    if (!$util.isInteger(message.topK))
                        return "topK: integer expected";
                if (message.includeDiagonals != null && $Object.hasOwnProperty.call(message, "includeDiagonals"))
                    if (typeof message.includeDiagonals !== "boolean")
                        return "includeDiagonals: boolean expected";
                if (message.diagonalOffset != null && $Object.hasOwnProperty.call(message, "diagonalOffset"))
                    if (!$util.isInteger(message.diagonalOffset))
                        return "diagonalOffset: integer expected";
                if (message.diagonalLength != null && $Object.hasOwnProperty.call(message, "diagonalLength"))
                    if (!$util.isInteger(message.diagonalLength))
                        return "diagonalLength: integer expected";
                if (message.kroneckerBasis != null && $Object.hasOwnProperty.call(message, "kroneckerBasis"))
                    if (!$util.isString(message.kroneckerBasis))
                        return "kroneckerBasis: string expected";
                return null;
            };

            /**
             * Creates an EstimatesRequest message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fisherd.v1.EstimatesRequest
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fisherd.v1.EstimatesRequest} EstimatesRequest
             */
            EstimatesRequest.fromObject = function (object, _depth) {
                if (object instanceof $root.fisherd.v1.EstimatesRequest)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fisherd.v1.EstimatesRequest: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fisherd.v1.EstimatesRequest();
                if (object.topK != null)
                    if ($Number(object.topK) !== 0)
                        message.topK = object.topK >>> 0;
                if (object.includeDiagonals != null)
                    if (object.includeDiagonals)
                        message.includeDiagonals = $Boolean(object.includeDiagonals);
                if (object.diagonalOffset != null)
                    if ($Number(object.diagonalOffset) !== 0)
                        message.diagonalOffset = object.diagonalOffset >>> 0;
                if (object.diagonalLength != null)
                    if ($Number(object.diagonalLength) !== 0)
                        message.diagonalLength = object.diagonalLength >>> 0;
                if (object.kroneckerBasis != null)
                    if (typeof object.kroneckerBasis !== "string" || object.kroneckerBasis.length)
                        message.kroneckerBasis = $String(object.kroneckerBasis);
                return message;
            };

            /**
             * Creates a plain object from an EstimatesRequest message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fisherd.v1.EstimatesRequest
             * @static
             * @param {fisherd.v1.EstimatesRequest} message EstimatesRequest
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            EstimatesRequest.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.topK = 0;
                    object.includeDiagonals = false;
                    object.diagonalOffset = 0;
                    object.diagonalLength = 0;
                    object.kroneckerBasis = "";
                }
                if (message.topK != null && $Object.hasOwnProperty.call(message, "topK"))
                    object.topK = message.topK;
                if (message.includeDiagonals != null && $Object.hasOwnProperty.call(message, "includeDiagonals"))
                    object.includeDiagonals = message.includeDiagonals;
                if (message.diagonalOffset != null && $Object.hasOwnProperty.call(message, "diagonalOffset"))
                    object.diagonalOffset = message.diagonalOffset;
                if (message.diagonalLength != null && $Object.hasOwnProperty.call(message, "diagonalLength"))
                    object.diagonalLength = message.diagonalLength;
                if (message.kroneckerBasis != null && $Object.hasOwnProperty.call(message, "kroneckerBasis"))
                    object.kroneckerBasis = message.kroneckerBasis;
                return object;
            };

            /**
             * Converts this EstimatesRequest to JSON.
             * @function toJSON
             * @memberof fisherd.v1.EstimatesRequest
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            EstimatesRequest.prototype.toJSON = function() {
                return EstimatesRequest.toObject(this, $protobuf.util.toJSONOptions);
            };

            return EstimatesRequest;
        })();

        v1.CloseSession = (function() {

            /**
             * Properties of a CloseSession.
             * @typedef {Object} fisherd.v1.CloseSession.$Properties
             * @property {boolean|null} [discard] CloseSession discard
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a CloseSession.
             * @memberof fisherd.v1
             * @interface ICloseSession
             * @augments fisherd.v1.CloseSession.$Properties
             * @deprecated Use fisherd.v1.CloseSession.$Properties instead.
             */

            /**
             * Shape of a CloseSession.
             * @typedef {fisherd.v1.CloseSession.$Properties} fisherd.v1.CloseSession.$Shape
             */

            /**
             * Constructs a new CloseSession.
             * @memberof fisherd.v1
             * @classdesc Detaches this connection from its session. The session is checkpointed; it stays resumable by id
             * unless `discard` is set, which deletes it once no worker is attached.
             * @constructor
             * @param {fisherd.v1.CloseSession.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const CloseSession = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * CloseSession discard.
             * @member {boolean} discard
             * @memberof fisherd.v1.CloseSession
             * @instance
             */
            CloseSession.prototype.discard = false;

            /**
             * Creates a new CloseSession instance using the specified properties.
             * @function create
             * @memberof fisherd.v1.CloseSession
             * @static
             * @param {fisherd.v1.CloseSession.$Properties=} [properties] Properties to set
             * @returns {fisherd.v1.CloseSession} CloseSession instance
             * @type {{
             *   (properties: fisherd.v1.CloseSession.$Shape): fisherd.v1.CloseSession & fisherd.v1.CloseSession.$Shape;
             *   (properties?: fisherd.v1.CloseSession.$Properties): fisherd.v1.CloseSession;
             * }}
             */
            CloseSession.create = function(properties) {
                return new CloseSession(properties);
            };

            /**
             * Encodes the specified CloseSession message. Does not implicitly {@link fisherd.v1.CloseSession.verify|verify} messages.
             * @function encode
             * @memberof fisherd.v1.CloseSession
             * @static
             * @param {fisherd.v1.CloseSession.$Properties} message CloseSession message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            CloseSession.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.discard != null && $Object.hasOwnProperty.call(message, "discard") && message.discard !== false)
                    writer.uint32(/* id 1, wireType 0 =*/8).bool(message.discard);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a CloseSession message from the specified reader or buffer.
             * @function decode
             * @memberof fisherd.v1.CloseSession
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fisherd.v1.CloseSession & fisherd.v1.CloseSession.$Shape} CloseSession
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            CloseSession.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fisherd.v1.CloseSession();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.discard = value;
                            else
                                delete message.discard;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a CloseSession message.
             * @function verify
             * @memberof fisherd.v1.CloseSession
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            CloseSession.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.discard != null && $Object.hasOwnProperty.call(message, "discard"))
                    if (typeof message.discard !== "boolean")
                        return "discard: boolean expected";
                return null;
            };

            /**
             * Creates a CloseSession message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fisherd.v1.CloseSession
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fisherd.v1.CloseSession} CloseSession
             */
            CloseSession.fromObject = function (object, _depth) {
                if (object instanceof $root.fisherd.v1.CloseSession)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fisherd.v1.CloseSession: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fisherd.v1.CloseSession();
                if (object.discard != null)
                    if (object.discard)
                        message.discard = $Boolean(object.discard);
                return message;
            };

            /**
             * Creates a plain object from a CloseSession message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fisherd.v1.CloseSession
             * @static
             * @param {fisherd.v1.CloseSession} message CloseSession
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            CloseSession.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults)
                    object.discard = false;
                if (message.discard != null && $Object.hasOwnProperty.call(message, "discard"))
                    object.discard = message.discard;
                return object;
            };

            /**
             * Converts this CloseSession to JSON.
             * @function toJSON
             * @memberof fisherd.v1.CloseSession
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            CloseSession.prototype.toJSON = function() {
                return CloseSession.toObject(this, $protobuf.util.toJSONOptions);
            };

            return CloseSession;
        })();

        v1.SharedMemoryOffer = (function() {

            /**
             * Properties of a SharedMemoryOffer.
             * @typedef {Object} fisherd.v1.SharedMemoryOffer.$Properties
             * @property {string|null} [requestFile] The file the client writes its requests into (client -> daemon), a plain name in the daemon's
             * shared-memory directory: "fisherd-" followed by 8 to 64 of [A-Za-z0-9_-].
             * @property {string|null} [replyFile] The file the daemon writes its ref'd replies into (daemon -> client), named likewise, another file.
             * @property {Uint8Array|null} [nonce] 16 to 64 random bytes, written by the client at offset 0 of both files. The daemon writes replies
             * after them (from SharedMemoryAccepted.reply_offset), never over them.
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a SharedMemoryOffer.
             * @memberof fisherd.v1
             * @interface ISharedMemoryOffer
             * @augments fisherd.v1.SharedMemoryOffer.$Properties
             * @deprecated Use fisherd.v1.SharedMemoryOffer.$Properties instead.
             */

            /**
             * Shape of a SharedMemoryOffer.
             * @typedef {fisherd.v1.SharedMemoryOffer.$Properties} fisherd.v1.SharedMemoryOffer.$Shape
             */

            /**
             * Constructs a new SharedMemoryOffer.
             * @memberof fisherd.v1
             * @classdesc Offers the daemon two files for payloads (after Welcome, at most once per connection; the daemon has the
             * feature when Welcome.shared_memory_dir is set). The client creates both in that directory, as regular
             * files readable and writable by the daemon's user (same user; mode 0600 suffices), and writes `nonce` at
             * offset 0 of each: the daemon opens them (never following symlinks, refusing anything but a regular file
             * with one link owned by its own user) and checks the nonce in both, so a file another container or user
             * cannot read cannot be offered, and a client that does not share the daemon's memory (another container
             * without the shared volume) is refused. The daemon never creates, truncates or deletes the files; it
             * keeps them open until the connection closes, so the client may unlink them once accepted.
             * Refusals: Error SHARED_MEMORY_UNAVAILABLE naming the field (disabled daemon, a name that is not
             * "fisherd-" + 8..64 of [A-Za-z0-9_-], a file that cannot be opened or is not a regular file of the
             * daemon's user, a nonce that does not match); UNEXPECTED_MESSAGE before Hello or for a second offer.
             * 
             * Ordering contract (so that one region each way suffices, no ring): the client has at most one ref'd
             * request outstanding, i.e. it writes a request into its request file only once every earlier ref'd
             * request has been answered, and it reads a ref'd reply out of its reply file before it sends its next
             * ref'd request. The daemon reads a ref'd request before it answers it, and writes into the reply file
             * only the reply to the latest ref'd request (once, if that reply is at least
             * SharedMemoryAccepted.reply_threshold_bytes; request_id 0 is always answered by frame); an update sent
             * to a worker that did not contribute to the step (request_id 0) and any reply to a request sent as a
             * frame stay frames. In a W-worker session every worker's connection gets the update its own way.
             * @constructor
             * @param {fisherd.v1.SharedMemoryOffer.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const SharedMemoryOffer = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * The file the client writes its requests into (client -> daemon), a plain name in the daemon's
             * shared-memory directory: "fisherd-" followed by 8 to 64 of [A-Za-z0-9_-].
             * @member {string} requestFile
             * @memberof fisherd.v1.SharedMemoryOffer
             * @instance
             */
            SharedMemoryOffer.prototype.requestFile = "";

            /**
             * The file the daemon writes its ref'd replies into (daemon -> client), named likewise, another file.
             * @member {string} replyFile
             * @memberof fisherd.v1.SharedMemoryOffer
             * @instance
             */
            SharedMemoryOffer.prototype.replyFile = "";

            /**
             * 16 to 64 random bytes, written by the client at offset 0 of both files. The daemon writes replies
             * after them (from SharedMemoryAccepted.reply_offset), never over them.
             * @member {Uint8Array} nonce
             * @memberof fisherd.v1.SharedMemoryOffer
             * @instance
             */
            SharedMemoryOffer.prototype.nonce = $util.newBuffer([]);

            /**
             * Creates a new SharedMemoryOffer instance using the specified properties.
             * @function create
             * @memberof fisherd.v1.SharedMemoryOffer
             * @static
             * @param {fisherd.v1.SharedMemoryOffer.$Properties=} [properties] Properties to set
             * @returns {fisherd.v1.SharedMemoryOffer} SharedMemoryOffer instance
             * @type {{
             *   (properties: fisherd.v1.SharedMemoryOffer.$Shape): fisherd.v1.SharedMemoryOffer & fisherd.v1.SharedMemoryOffer.$Shape;
             *   (properties?: fisherd.v1.SharedMemoryOffer.$Properties): fisherd.v1.SharedMemoryOffer;
             * }}
             */
            SharedMemoryOffer.create = function(properties) {
                return new SharedMemoryOffer(properties);
            };

            /**
             * Encodes the specified SharedMemoryOffer message. Does not implicitly {@link fisherd.v1.SharedMemoryOffer.verify|verify} messages.
             * @function encode
             * @memberof fisherd.v1.SharedMemoryOffer
             * @static
             * @param {fisherd.v1.SharedMemoryOffer.$Properties} message SharedMemoryOffer message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            SharedMemoryOffer.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.requestFile != null && $Object.hasOwnProperty.call(message, "requestFile") && message.requestFile !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.requestFile);
                if (message.replyFile != null && $Object.hasOwnProperty.call(message, "replyFile") && message.replyFile !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.replyFile);
                if (message.nonce != null && $Object.hasOwnProperty.call(message, "nonce") && message.nonce.length)
                    writer.uint32(/* id 3, wireType 2 =*/26).bytes(message.nonce);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a SharedMemoryOffer message from the specified reader or buffer.
             * @function decode
             * @memberof fisherd.v1.SharedMemoryOffer
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fisherd.v1.SharedMemoryOffer & fisherd.v1.SharedMemoryOffer.$Shape} SharedMemoryOffer
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            SharedMemoryOffer.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fisherd.v1.SharedMemoryOffer();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.requestFile = value;
                            else
                                delete message.requestFile;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.replyFile = value;
                            else
                                delete message.replyFile;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.nonce = value;
                            else
                                delete message.nonce;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a SharedMemoryOffer message.
             * @function verify
             * @memberof fisherd.v1.SharedMemoryOffer
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            SharedMemoryOffer.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.requestFile != null && $Object.hasOwnProperty.call(message, "requestFile"))
                    if (!$util.isString(message.requestFile))
                        return "requestFile: string expected";
                if (message.replyFile != null && $Object.hasOwnProperty.call(message, "replyFile"))
                    if (!$util.isString(message.replyFile))
                        return "replyFile: string expected";
                if (message.nonce != null && $Object.hasOwnProperty.call(message, "nonce"))
                    if (!(message.nonce && typeof message.nonce.length === "number" || $util.isString(message.nonce)))
                        return "nonce: buffer expected";
                return null;
            };

            /**
             * Creates a SharedMemoryOffer message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fisherd.v1.SharedMemoryOffer
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fisherd.v1.SharedMemoryOffer} SharedMemoryOffer
             */
            SharedMemoryOffer.fromObject = function (object, _depth) {
                if (object instanceof $root.fisherd.v1.SharedMemoryOffer)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fisherd.v1.SharedMemoryOffer: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fisherd.v1.SharedMemoryOffer();
                if (object.requestFile != null)
                    if (typeof object.requestFile !== "string" || object.requestFile.length)
                        message.requestFile = $String(object.requestFile);
                if (object.replyFile != null)
                    if (typeof object.replyFile !== "string" || object.replyFile.length)
                        message.replyFile = $String(object.replyFile);
                if (object.nonce != null)
                    if (object.nonce.length)
                        if (typeof object.nonce === "string")
                            $util.base64.decode(object.nonce, message.nonce = $util.newBuffer($util.base64.length(object.nonce)), 0);
                        else if (object.nonce.length >= 0)
                            message.nonce = object.nonce;
                return message;
            };

            /**
             * Creates a plain object from a SharedMemoryOffer message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fisherd.v1.SharedMemoryOffer
             * @static
             * @param {fisherd.v1.SharedMemoryOffer} message SharedMemoryOffer
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            SharedMemoryOffer.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.requestFile = "";
                    object.replyFile = "";
                    if (options.bytes === $String)
                        object.nonce = "";
                    else {
                        object.nonce = [];
                        if (options.bytes !== $Array)
                            object.nonce = $util.newBuffer(object.nonce);
                    }
                }
                if (message.requestFile != null && $Object.hasOwnProperty.call(message, "requestFile"))
                    object.requestFile = message.requestFile;
                if (message.replyFile != null && $Object.hasOwnProperty.call(message, "replyFile"))
                    object.replyFile = message.replyFile;
                if (message.nonce != null && $Object.hasOwnProperty.call(message, "nonce"))
                    object.nonce = options.bytes === $String ? $util.base64.encode(message.nonce, 0, message.nonce.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.nonce) : message.nonce;
                return object;
            };

            /**
             * Converts this SharedMemoryOffer to JSON.
             * @function toJSON
             * @memberof fisherd.v1.SharedMemoryOffer
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            SharedMemoryOffer.prototype.toJSON = function() {
                return SharedMemoryOffer.toObject(this, $protobuf.util.toJSONOptions);
            };

            return SharedMemoryOffer;
        })();

        v1.SharedMemoryAccepted = (function() {

            /**
             * Properties of a SharedMemoryAccepted.
             * @typedef {Object} fisherd.v1.SharedMemoryAccepted.$Properties
             * @property {number|null} [replyOffset] Where in the reply file the daemon writes its replies (the first byte after the nonce, rounded up to
             * a page: 4096).
             * @property {number|null} [replyThresholdBytes] Replies of at least this many bytes (encoded) to a ref'd request travel by ref (65536); smaller ones
             * are frames.
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a SharedMemoryAccepted.
             * @memberof fisherd.v1
             * @interface ISharedMemoryAccepted
             * @augments fisherd.v1.SharedMemoryAccepted.$Properties
             * @deprecated Use fisherd.v1.SharedMemoryAccepted.$Properties instead.
             */

            /**
             * Shape of a SharedMemoryAccepted.
             * @typedef {fisherd.v1.SharedMemoryAccepted.$Properties} fisherd.v1.SharedMemoryAccepted.$Shape
             */

            /**
             * Constructs a new SharedMemoryAccepted.
             * @memberof fisherd.v1
             * @classdesc The daemon holds both files open: ref'd messages may flow.
             * @constructor
             * @param {fisherd.v1.SharedMemoryAccepted.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const SharedMemoryAccepted = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Where in the reply file the daemon writes its replies (the first byte after the nonce, rounded up to
             * a page: 4096).
             * @member {number} replyOffset
             * @memberof fisherd.v1.SharedMemoryAccepted
             * @instance
             */
            SharedMemoryAccepted.prototype.replyOffset = 0;

            /**
             * Replies of at least this many bytes (encoded) to a ref'd request travel by ref (65536); smaller ones
             * are frames.
             * @member {number} replyThresholdBytes
             * @memberof fisherd.v1.SharedMemoryAccepted
             * @instance
             */
            SharedMemoryAccepted.prototype.replyThresholdBytes = 0;

            /**
             * Creates a new SharedMemoryAccepted instance using the specified properties.
             * @function create
             * @memberof fisherd.v1.SharedMemoryAccepted
             * @static
             * @param {fisherd.v1.SharedMemoryAccepted.$Properties=} [properties] Properties to set
             * @returns {fisherd.v1.SharedMemoryAccepted} SharedMemoryAccepted instance
             * @type {{
             *   (properties: fisherd.v1.SharedMemoryAccepted.$Shape): fisherd.v1.SharedMemoryAccepted & fisherd.v1.SharedMemoryAccepted.$Shape;
             *   (properties?: fisherd.v1.SharedMemoryAccepted.$Properties): fisherd.v1.SharedMemoryAccepted;
             * }}
             */
            SharedMemoryAccepted.create = function(properties) {
                return new SharedMemoryAccepted(properties);
            };

            /**
             * Encodes the specified SharedMemoryAccepted message. Does not implicitly {@link fisherd.v1.SharedMemoryAccepted.verify|verify} messages.
             * @function encode
             * @memberof fisherd.v1.SharedMemoryAccepted
             * @static
             * @param {fisherd.v1.SharedMemoryAccepted.$Properties} message SharedMemoryAccepted message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            SharedMemoryAccepted.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.replyOffset != null && $Object.hasOwnProperty.call(message, "replyOffset") && message.replyOffset !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.replyOffset);
                if (message.replyThresholdBytes != null && $Object.hasOwnProperty.call(message, "replyThresholdBytes") && message.replyThresholdBytes !== 0)
                    writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.replyThresholdBytes);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a SharedMemoryAccepted message from the specified reader or buffer.
             * @function decode
             * @memberof fisherd.v1.SharedMemoryAccepted
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fisherd.v1.SharedMemoryAccepted & fisherd.v1.SharedMemoryAccepted.$Shape} SharedMemoryAccepted
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            SharedMemoryAccepted.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fisherd.v1.SharedMemoryAccepted();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.replyOffset = value;
                            else
                                delete message.replyOffset;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.replyThresholdBytes = value;
                            else
                                delete message.replyThresholdBytes;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a SharedMemoryAccepted message.
             * @function verify
             * @memberof fisherd.v1.SharedMemoryAccepted
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            SharedMemoryAccepted.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.replyOffset != null && $Object.hasOwnProperty.call(message, "replyOffset"))
                    if (!$util.isInteger(message.replyOffset))
                        return "replyOffset: integer expected";
                if (message.replyThresholdBytes != null && $Object.hasOwnProperty.call(message, "replyThresholdBytes"))
                    if (!$util.isInteger(message.replyThresholdBytes))
                        return "replyThresholdBytes: integer expected";
                return null;
            };

            /**
             * Creates a SharedMemoryAccepted message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fisherd.v1.SharedMemoryAccepted
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fisherd.v1.SharedMemoryAccepted} SharedMemoryAccepted
             */
            SharedMemoryAccepted.fromObject = function (object, _depth) {
                if (object instanceof $root.fisherd.v1.SharedMemoryAccepted)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fisherd.v1.SharedMemoryAccepted: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fisherd.v1.SharedMemoryAccepted();
                if (object.replyOffset != null)
                    if ($Number(object.replyOffset) !== 0)
                        message.replyOffset = object.replyOffset >>> 0;
                if (object.replyThresholdBytes != null)
                    if ($Number(object.replyThresholdBytes) !== 0)
                        message.replyThresholdBytes = object.replyThresholdBytes >>> 0;
                return message;
            };

            /**
             * Creates a plain object from a SharedMemoryAccepted message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fisherd.v1.SharedMemoryAccepted
             * @static
             * @param {fisherd.v1.SharedMemoryAccepted} message SharedMemoryAccepted
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            SharedMemoryAccepted.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.replyOffset = 0;
                    object.replyThresholdBytes = 0;
                }
                if (message.replyOffset != null && $Object.hasOwnProperty.call(message, "replyOffset"))
                    object.replyOffset = message.replyOffset;
                if (message.replyThresholdBytes != null && $Object.hasOwnProperty.call(message, "replyThresholdBytes"))
                    object.replyThresholdBytes = message.replyThresholdBytes;
                return object;
            };

            /**
             * Converts this SharedMemoryAccepted to JSON.
             * @function toJSON
             * @memberof fisherd.v1.SharedMemoryAccepted
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            SharedMemoryAccepted.prototype.toJSON = function() {
                return SharedMemoryAccepted.toObject(this, $protobuf.util.toJSONOptions);
            };

            return SharedMemoryAccepted;
        })();

        v1.MessageRef = (function() {

            /**
             * Properties of a MessageRef.
             * @typedef {Object} fisherd.v1.MessageRef.$Properties
             * @property {number|null} [offset] MessageRef offset
             * @property {number|null} [length] MessageRef length
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a MessageRef.
             * @memberof fisherd.v1
             * @interface IMessageRef
             * @augments fisherd.v1.MessageRef.$Properties
             * @deprecated Use fisherd.v1.MessageRef.$Properties instead.
             */

            /**
             * Shape of a MessageRef.
             * @typedef {fisherd.v1.MessageRef.$Properties} fisherd.v1.MessageRef.$Shape
             */

            /**
             * Constructs a new MessageRef.
             * @memberof fisherd.v1
             * @classdesc "The bytes of one encoded message are in the shared file at [offset, offset + length)": as a
             * ClientMessage, in the client's request file; as a ServerMessage, in its reply file. The message inside
             * is handled exactly as if it had arrived as a frame (same decoding, validation, errors and
             * --max-frame-bytes limit: FRAME_TOO_LARGE, closing with 1009); it may not itself be a MessageRef or a
             * SharedMemoryOffer (UNEXPECTED_MESSAGE). A range beyond the end of the file is MALFORMED_FRAME naming
             * message_ref.offset or message_ref.length, answered with the outer message's request_id; the message
             * inside carries its own request_id (clients set both the same), which its replies echo.
             * @constructor
             * @param {fisherd.v1.MessageRef.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const MessageRef = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * MessageRef offset.
             * @member {number} offset
             * @memberof fisherd.v1.MessageRef
             * @instance
             */
            MessageRef.prototype.offset = 0;

            /**
             * MessageRef length.
             * @member {number} length
             * @memberof fisherd.v1.MessageRef
             * @instance
             */
            MessageRef.prototype.length = 0;

            /**
             * Creates a new MessageRef instance using the specified properties.
             * @function create
             * @memberof fisherd.v1.MessageRef
             * @static
             * @param {fisherd.v1.MessageRef.$Properties=} [properties] Properties to set
             * @returns {fisherd.v1.MessageRef} MessageRef instance
             * @type {{
             *   (properties: fisherd.v1.MessageRef.$Shape): fisherd.v1.MessageRef & fisherd.v1.MessageRef.$Shape;
             *   (properties?: fisherd.v1.MessageRef.$Properties): fisherd.v1.MessageRef;
             * }}
             */
            MessageRef.create = function(properties) {
                return new MessageRef(properties);
            };

            /**
             * Encodes the specified MessageRef message. Does not implicitly {@link fisherd.v1.MessageRef.verify|verify} messages.
             * @function encode
             * @memberof fisherd.v1.MessageRef
             * @static
             * @param {fisherd.v1.MessageRef.$Properties} message MessageRef message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            MessageRef.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.offset != null && $Object.hasOwnProperty.call(message, "offset") && message.offset !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.offset);
                if (message.length != null && $Object.hasOwnProperty.call(message, "length") && message.length !== 0)
                    writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.length);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a MessageRef message from the specified reader or buffer.
             * @function decode
             * @memberof fisherd.v1.MessageRef
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fisherd.v1.MessageRef & fisherd.v1.MessageRef.$Shape} MessageRef
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            MessageRef.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fisherd.v1.MessageRef();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.offset = value;
                            else
                                delete message.offset;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.length = value;
                            else
                                delete message.length;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a MessageRef message.
             * @function verify
             * @memberof fisherd.v1.MessageRef
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            MessageRef.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.offset != null && $Object.hasOwnProperty.call(message, "offset"))
                    if (!$util.isInteger(message.offset))
                        return "offset: integer expected";
                if (message.length != null && $Object.hasOwnProperty.call(message, "length"))
                    if (!$util.isInteger(message.length))
                        return "length: integer expected";
                return null;
            };

            /**
             * Creates a MessageRef message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fisherd.v1.MessageRef
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fisherd.v1.MessageRef} MessageRef
             */
            MessageRef.fromObject = function (object, _depth) {
                if (object instanceof $root.fisherd.v1.MessageRef)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fisherd.v1.MessageRef: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fisherd.v1.MessageRef();
                if (object.offset != null)
                    if ($Number(object.offset) !== 0)
                        message.offset = object.offset >>> 0;
                if (object.length != null)
                    if ($Number(object.length) !== 0)
                        message.length = object.length >>> 0;
                return message;
            };

            /**
             * Creates a plain object from a MessageRef message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fisherd.v1.MessageRef
             * @static
             * @param {fisherd.v1.MessageRef} message MessageRef
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            MessageRef.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.offset = 0;
                    object.length = 0;
                }
                if (message.offset != null && $Object.hasOwnProperty.call(message, "offset"))
                    object.offset = message.offset;
                if (message.length != null && $Object.hasOwnProperty.call(message, "length"))
                    object.length = message.length;
                return object;
            };

            /**
             * Converts this MessageRef to JSON.
             * @function toJSON
             * @memberof fisherd.v1.MessageRef
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            MessageRef.prototype.toJSON = function() {
                return MessageRef.toObject(this, $protobuf.util.toJSONOptions);
            };

            return MessageRef;
        })();

        v1.SessionConfig = (function() {

            /**
             * Properties of a SessionConfig.
             * @typedef {Object} fisherd.v1.SessionConfig.$Properties
             * @property {number|null} [dim] D, the number of parameters (>= 1). Required.
             * @property {Array.<fisherd.v1.ParameterBlock.$Properties>|null} [blocks] Named parameter blocks (e.g. one per layer) in parameter order; sizes sum to `dim`, names unique.
             * Empty means one block "params" of all D parameters with `structure`.
             * @property {fisherd.v1.BlockStructure.$Properties|null} [structure] Structure of the estimates when `blocks` is empty (default diagonal).
             * @property {fisherd.v1.OptimizerConfig.$Properties|null} [optimizer] The update rule and its hyperparameters. Required.
             * @property {number|null} [emaDecay] β ∈ [0, 1), the EMA decay of every running estimate, ḡ included (default 0: this batch only).
             * @property {fisherd.v1.FisherSource|null} [fisherSource] Where the Fisher's rows come from when it is tracked (default sampled labels).
             * @property {number|null} [workers] W, the number of data-parallel workers contributing to each step (default 1).
             * @property {number|Long|null} [datasetSize] N, the size of the training set if known (0 = unknown); for diagnostics only.
             * @property {boolean|null} [record] Whether the daemon records this session's contributions and updates as a trace (default false).
             * @property {string|null} [backend] Compute backend preference: "auto" (default), "reference", "openblas", "gpujs".
             * @property {fisherd.v1.TrackedEstimates.$Properties|null} [track] Estimates to keep beyond those the optimizer needs (e.g. both Fishers, for the EF-vs-Fisher cosine).
             * @property {string|null} [name] A human-readable name for the run, shown on the dashboard, in the daemon's logs and in
             * `fisherd trace inspect`: at most 128 characters, printable (no control characters), not only spaces.
             * Empty: the daemon names the session "<Hello.client_name> <start time, UTC, YYYY-MM-DD hh:mm:ss>"
             * (e.g. "train-logistic 2026-12-03 08:15:02") and echoes that name in SessionOpened.config.
             * @property {string|null} [precision] Storage precision of the estimates: "float32" (default on openblas and gpujs) or "float64" (openblas
             * with float64 storage; the reference backend is always float64). docs/math.md, "Precision".
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a SessionConfig.
             * @memberof fisherd.v1
             * @interface ISessionConfig
             * @augments fisherd.v1.SessionConfig.$Properties
             * @deprecated Use fisherd.v1.SessionConfig.$Properties instead.
             */

            /**
             * Shape of a SessionConfig.
             * @typedef {{
             *   dim?: number|null;
             *   blocks?: Array.<fisherd.v1.ParameterBlock.$Shape>|null;
             *   structure?: fisherd.v1.BlockStructure.$Shape|null;
             *   optimizer?: fisherd.v1.OptimizerConfig.$Shape|null;
             *   emaDecay?: number|null;
             *   fisherSource?: fisherd.v1.FisherSource|null;
             *   workers?: number|null;
             *   datasetSize?: number|Long|null;
             *   record?: boolean|null;
             *   backend?: string|null;
             *   track?: fisherd.v1.TrackedEstimates.$Shape|null;
             *   name?: string|null;
             *   precision?: string|null;
             *   $unknowns?: Array.<Uint8Array>;
             * }} fisherd.v1.SessionConfig.$Shape
             */

            /**
             * Constructs a new SessionConfig.
             * @memberof fisherd.v1
             * @classdesc Mirrors src/session/config.ts `SessionConfig` field by field; the daemon validates it there and
             * answers INVALID_CONFIG naming the field (e.g. "optimizer.damping must be ≥ 0", "blocks[1].structure.rank").
             * @constructor
             * @param {fisherd.v1.SessionConfig.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const SessionConfig = function (properties) {
                this.blocks = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * D, the number of parameters (>= 1). Required.
             * @member {number} dim
             * @memberof fisherd.v1.SessionConfig
             * @instance
             */
            SessionConfig.prototype.dim = 0;

            /**
             * Named parameter blocks (e.g. one per layer) in parameter order; sizes sum to `dim`, names unique.
             * Empty means one block "params" of all D parameters with `structure`.
             * @member {Array.<fisherd.v1.ParameterBlock.$Properties>} blocks
             * @memberof fisherd.v1.SessionConfig
             * @instance
             */
            SessionConfig.prototype.blocks = $util.emptyArray;

            /**
             * Structure of the estimates when `blocks` is empty (default diagonal).
             * @member {fisherd.v1.BlockStructure.$Properties|null|undefined} structure
             * @memberof fisherd.v1.SessionConfig
             * @instance
             */
            SessionConfig.prototype.structure = null;

            /**
             * The update rule and its hyperparameters. Required.
             * @member {fisherd.v1.OptimizerConfig.$Properties|null|undefined} optimizer
             * @memberof fisherd.v1.SessionConfig
             * @instance
             */
            SessionConfig.prototype.optimizer = null;

            /**
             * β ∈ [0, 1), the EMA decay of every running estimate, ḡ included (default 0: this batch only).
             * @member {number|null|undefined} emaDecay
             * @memberof fisherd.v1.SessionConfig
             * @instance
             */
            SessionConfig.prototype.emaDecay = null;

            /**
             * Where the Fisher's rows come from when it is tracked (default sampled labels).
             * @member {fisherd.v1.FisherSource} fisherSource
             * @memberof fisherd.v1.SessionConfig
             * @instance
             */
            SessionConfig.prototype.fisherSource = 0;

            /**
             * W, the number of data-parallel workers contributing to each step (default 1).
             * @member {number} workers
             * @memberof fisherd.v1.SessionConfig
             * @instance
             */
            SessionConfig.prototype.workers = 0;

            /**
             * N, the size of the training set if known (0 = unknown); for diagnostics only.
             * @member {number|Long} datasetSize
             * @memberof fisherd.v1.SessionConfig
             * @instance
             */
            SessionConfig.prototype.datasetSize = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Whether the daemon records this session's contributions and updates as a trace (default false).
             * @member {boolean} record
             * @memberof fisherd.v1.SessionConfig
             * @instance
             */
            SessionConfig.prototype.record = false;

            /**
             * Compute backend preference: "auto" (default), "reference", "openblas", "gpujs".
             * @member {string} backend
             * @memberof fisherd.v1.SessionConfig
             * @instance
             */
            SessionConfig.prototype.backend = "";

            /**
             * Estimates to keep beyond those the optimizer needs (e.g. both Fishers, for the EF-vs-Fisher cosine).
             * @member {fisherd.v1.TrackedEstimates.$Properties|null|undefined} track
             * @memberof fisherd.v1.SessionConfig
             * @instance
             */
            SessionConfig.prototype.track = null;

            /**
             * A human-readable name for the run, shown on the dashboard, in the daemon's logs and in
             * `fisherd trace inspect`: at most 128 characters, printable (no control characters), not only spaces.
             * Empty: the daemon names the session "<Hello.client_name> <start time, UTC, YYYY-MM-DD hh:mm:ss>"
             * (e.g. "train-logistic 2026-12-03 08:15:02") and echoes that name in SessionOpened.config.
             * @member {string} name
             * @memberof fisherd.v1.SessionConfig
             * @instance
             */
            SessionConfig.prototype.name = "";

            /**
             * Storage precision of the estimates: "float32" (default on openblas and gpujs) or "float64" (openblas
             * with float64 storage; the reference backend is always float64). docs/math.md, "Precision".
             * @member {string} precision
             * @memberof fisherd.v1.SessionConfig
             * @instance
             */
            SessionConfig.prototype.precision = "";

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            // Virtual OneOf for proto3 optional field
            $Object.defineProperty(SessionConfig.prototype, "_emaDecay", {
                get: $util.oneOfGetter($oneOfFields = ["emaDecay"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new SessionConfig instance using the specified properties.
             * @function create
             * @memberof fisherd.v1.SessionConfig
             * @static
             * @param {fisherd.v1.SessionConfig.$Properties=} [properties] Properties to set
             * @returns {fisherd.v1.SessionConfig} SessionConfig instance
             * @type {{
             *   (properties: fisherd.v1.SessionConfig.$Shape): fisherd.v1.SessionConfig & fisherd.v1.SessionConfig.$Shape;
             *   (properties?: fisherd.v1.SessionConfig.$Properties): fisherd.v1.SessionConfig;
             * }}
             */
            SessionConfig.create = function(properties) {
                return new SessionConfig(properties);
            };

            /**
             * Encodes the specified SessionConfig message. Does not implicitly {@link fisherd.v1.SessionConfig.verify|verify} messages.
             * @function encode
             * @memberof fisherd.v1.SessionConfig
             * @static
             * @param {fisherd.v1.SessionConfig.$Properties} message SessionConfig message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            SessionConfig.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.dim != null && $Object.hasOwnProperty.call(message, "dim") && message.dim !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.dim);
                if (message.blocks != null && message.blocks.length)
                    for (let i = 0; i < message.blocks.length; ++i)
                        $root.fisherd.v1.ParameterBlock.encode(message.blocks[i], writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                if (message.structure != null && $Object.hasOwnProperty.call(message, "structure"))
                    $root.fisherd.v1.BlockStructure.encode(message.structure, writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                if (message.optimizer != null && $Object.hasOwnProperty.call(message, "optimizer"))
                    $root.fisherd.v1.OptimizerConfig.encode(message.optimizer, writer.uint32(/* id 4, wireType 2 =*/34).fork(), _depth + 1).ldelim();
                if (message.emaDecay != null && $Object.hasOwnProperty.call(message, "emaDecay"))
                    writer.uint32(/* id 5, wireType 1 =*/41).double(message.emaDecay);
                if (message.fisherSource != null && $Object.hasOwnProperty.call(message, "fisherSource") && message.fisherSource !== 0)
                    writer.uint32(/* id 6, wireType 0 =*/48).int32(message.fisherSource);
                if (message.workers != null && $Object.hasOwnProperty.call(message, "workers") && message.workers !== 0)
                    writer.uint32(/* id 7, wireType 0 =*/56).uint32(message.workers);
                if (message.datasetSize != null && $Object.hasOwnProperty.call(message, "datasetSize") && (typeof message.datasetSize === "object" ? message.datasetSize.low || message.datasetSize.high : message.datasetSize !== 0))
                    writer.uint32(/* id 8, wireType 0 =*/64).uint64(message.datasetSize);
                if (message.record != null && $Object.hasOwnProperty.call(message, "record") && message.record !== false)
                    writer.uint32(/* id 9, wireType 0 =*/72).bool(message.record);
                if (message.backend != null && $Object.hasOwnProperty.call(message, "backend") && message.backend !== "")
                    writer.uint32(/* id 10, wireType 2 =*/82).string(message.backend);
                if (message.track != null && $Object.hasOwnProperty.call(message, "track"))
                    $root.fisherd.v1.TrackedEstimates.encode(message.track, writer.uint32(/* id 11, wireType 2 =*/90).fork(), _depth + 1).ldelim();
                if (message.name != null && $Object.hasOwnProperty.call(message, "name") && message.name !== "")
                    writer.uint32(/* id 12, wireType 2 =*/98).string(message.name);
                if (message.precision != null && $Object.hasOwnProperty.call(message, "precision") && message.precision !== "")
                    writer.uint32(/* id 13, wireType 2 =*/106).string(message.precision);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a SessionConfig message from the specified reader or buffer.
             * @function decode
             * @memberof fisherd.v1.SessionConfig
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fisherd.v1.SessionConfig & fisherd.v1.SessionConfig.$Shape} SessionConfig
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            SessionConfig.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fisherd.v1.SessionConfig();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.dim = value;
                            else
                                delete message.dim;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if (!(message.blocks && message.blocks.length))
                                message.blocks = [];
                            message.blocks.push($root.fisherd.v1.ParameterBlock.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            message.structure = $root.fisherd.v1.BlockStructure.decode(reader, reader.size(), $undefined, _depth + 1, message.structure);
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            message.optimizer = $root.fisherd.v1.OptimizerConfig.decode(reader, reader.size(), $undefined, _depth + 1, message.optimizer);
                            continue;
                        }
                    case 5: {
                            if (wireType !== 1)
                                break;
                            message.emaDecay = reader.double();
                            message._emaDecay = "emaDecay";
                            continue;
                        }
                    case 6: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.fisherSource = value;
                            else
                                delete message.fisherSource;
                            continue;
                        }
                    case 7: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.workers = value;
                            else
                                delete message.workers;
                            continue;
                        }
                    case 8: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.datasetSize = value;
                            else
                                delete message.datasetSize;
                            continue;
                        }
                    case 9: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.record = value;
                            else
                                delete message.record;
                            continue;
                        }
                    case 10: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.backend = value;
                            else
                                delete message.backend;
                            continue;
                        }
                    case 11: {
                            if (wireType !== 2)
                                break;
                            message.track = $root.fisherd.v1.TrackedEstimates.decode(reader, reader.size(), $undefined, _depth + 1, message.track);
                            continue;
                        }
                    case 12: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.name = value;
                            else
                                delete message.name;
                            continue;
                        }
                    case 13: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.precision = value;
                            else
                                delete message.precision;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a SessionConfig message.
             * @function verify
             * @memberof fisherd.v1.SessionConfig
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            SessionConfig.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                let properties = {};
                if (message.dim != null && $Object.hasOwnProperty.call(message, "dim"))
                    if (!$util.isInteger(message.dim))
                        return "dim: integer expected";
                if (message.blocks != null && $Object.hasOwnProperty.call(message, "blocks")) {
                    if (!$Array.isArray(message.blocks))
                        return "blocks: array expected";
                    for (let i = 0; i < message.blocks.length; ++i) {
                        let error = $root.fisherd.v1.ParameterBlock.verify(message.blocks[i], _depth + 1);
                        if (error)
                            return "blocks." + error;
                    }
                }
                if (message.structure != null && $Object.hasOwnProperty.call(message, "structure")) {
                    let error = $root.fisherd.v1.BlockStructure.verify(message.structure, _depth + 1);
                    if (error)
                        return "structure." + error;
                }
                if (message.optimizer != null && $Object.hasOwnProperty.call(message, "optimizer")) {
                    let error = $root.fisherd.v1.OptimizerConfig.verify(message.optimizer, _depth + 1);
                    if (error)
                        return "optimizer." + error;
                }
                if (message.emaDecay != null && $Object.hasOwnProperty.call(message, "emaDecay")) {
                    properties._emaDecay = 1;
                    if (typeof message.emaDecay !== "number")
                        return "emaDecay: number expected";
                }
                if (message.fisherSource != null && $Object.hasOwnProperty.call(message, "fisherSource"))
                    if (typeof message.fisherSource !== "number" || (message.fisherSource | 0) !== message.fisherSource)
                        return "fisherSource: enum value expected";
                if (message.workers != null && $Object.hasOwnProperty.call(message, "workers"))
                    if (!$util.isInteger(message.workers))
                        return "workers: integer expected";
                if (message.datasetSize != null && $Object.hasOwnProperty.call(message, "datasetSize"))
                    if (!$util.isInteger(message.datasetSize) && !(message.datasetSize && $util.isInteger(message.datasetSize.low) && $util.isInteger(message.datasetSize.high)))
                        return "datasetSize: integer|Long expected";
                if (message.record != null && $Object.hasOwnProperty.call(message, "record"))
                    if (typeof message.record !== "boolean")
                        return "record: boolean expected";
                if (message.backend != null && $Object.hasOwnProperty.call(message, "backend"))
                    if (!$util.isString(message.backend))
                        return "backend: string expected";
                if (message.track != null && $Object.hasOwnProperty.call(message, "track")) {
                    let error = $root.fisherd.v1.TrackedEstimates.verify(message.track, _depth + 1);
                    if (error)
                        return "track." + error;
                }
                if (message.name != null && $Object.hasOwnProperty.call(message, "name"))
                    if (!$util.isString(message.name))
                        return "name: string expected";
                if (message.precision != null && $Object.hasOwnProperty.call(message, "precision"))
                    if (!$util.isString(message.precision))
                        return "precision: string expected";
                return null;
            };

            /**
             * Creates a SessionConfig message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fisherd.v1.SessionConfig
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fisherd.v1.SessionConfig} SessionConfig
             */
            SessionConfig.fromObject = function (object, _depth) {
                if (object instanceof $root.fisherd.v1.SessionConfig)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fisherd.v1.SessionConfig: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fisherd.v1.SessionConfig();
                if (object.dim != null)
                    if ($Number(object.dim) !== 0)
                        message.dim = object.dim >>> 0;
                if (object.blocks) {
                    if (!$Array.isArray(object.blocks))
                        throw $TypeError(".fisherd.v1.SessionConfig.blocks: array expected");
                    message.blocks = $Array(object.blocks.length);
                    for (let i = 0; i < object.blocks.length; ++i) {
                        if (!$util.isObject(object.blocks[i]))
                            throw $TypeError(".fisherd.v1.SessionConfig.blocks: object expected");
                        message.blocks[i] = $root.fisherd.v1.ParameterBlock.fromObject(object.blocks[i], _depth + 1);
                    }
                }
                if (object.structure != null) {
                    if (!$util.isObject(object.structure))
                        throw $TypeError(".fisherd.v1.SessionConfig.structure: object expected");
                    message.structure = $root.fisherd.v1.BlockStructure.fromObject(object.structure, _depth + 1);
                }
                if (object.optimizer != null) {
                    if (!$util.isObject(object.optimizer))
                        throw $TypeError(".fisherd.v1.SessionConfig.optimizer: object expected");
                    message.optimizer = $root.fisherd.v1.OptimizerConfig.fromObject(object.optimizer, _depth + 1);
                }
                if (object.emaDecay != null)
                    message.emaDecay = $Number(object.emaDecay);
                if (object.fisherSource !== 0 && (typeof object.fisherSource !== "string" || $root.fisherd.v1.FisherSource[object.fisherSource] !== 0))
                    switch (object.fisherSource) {
                    case "FISHER_SOURCE_UNSPECIFIED":
                    case 0:
                        message.fisherSource = 0;
                        break;
                    case "FISHER_SOURCE_SAMPLED":
                    case 1:
                        message.fisherSource = 1;
                        break;
                    case "FISHER_SOURCE_EXACT":
                    case 2:
                        message.fisherSource = 2;
                        break;
                    default:
                        if (typeof object.fisherSource === "number" && (object.fisherSource | 0) === object.fisherSource)
                            message.fisherSource = object.fisherSource;
                    }
                if (object.workers != null)
                    if ($Number(object.workers) !== 0)
                        message.workers = object.workers >>> 0;
                if (object.datasetSize != null)
                    if (typeof object.datasetSize === "object" ? object.datasetSize.low || object.datasetSize.high : $Number(object.datasetSize) !== 0)
                        if ($util.Long)
                            message.datasetSize = $util.Long.fromValue(object.datasetSize, true);
                        else if (typeof object.datasetSize === "string")
                            message.datasetSize = $parseInt(object.datasetSize, 10);
                        else if (typeof object.datasetSize === "number")
                            message.datasetSize = object.datasetSize;
                        else if (typeof object.datasetSize === "object")
                            message.datasetSize = new $util.LongBits(object.datasetSize.low >>> 0, object.datasetSize.high >>> 0).toNumber(true);
                if (object.record != null)
                    if (object.record)
                        message.record = $Boolean(object.record);
                if (object.backend != null)
                    if (typeof object.backend !== "string" || object.backend.length)
                        message.backend = $String(object.backend);
                if (object.track != null) {
                    if (!$util.isObject(object.track))
                        throw $TypeError(".fisherd.v1.SessionConfig.track: object expected");
                    message.track = $root.fisherd.v1.TrackedEstimates.fromObject(object.track, _depth + 1);
                }
                if (object.name != null)
                    if (typeof object.name !== "string" || object.name.length)
                        message.name = $String(object.name);
                if (object.precision != null)
                    if (typeof object.precision !== "string" || object.precision.length)
                        message.precision = $String(object.precision);
                return message;
            };

            /**
             * Creates a plain object from a SessionConfig message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fisherd.v1.SessionConfig
             * @static
             * @param {fisherd.v1.SessionConfig} message SessionConfig
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            SessionConfig.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.arrays || options.defaults)
                    object.blocks = [];
                if (options.defaults) {
                    object.dim = 0;
                    object.structure = null;
                    object.optimizer = null;
                    object.fisherSource = options.enums === $String ? "FISHER_SOURCE_UNSPECIFIED" : 0;
                    object.workers = 0;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.datasetSize = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.datasetSize = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    object.record = false;
                    object.backend = "";
                    object.track = null;
                    object.name = "";
                    object.precision = "";
                }
                if (message.dim != null && $Object.hasOwnProperty.call(message, "dim"))
                    object.dim = message.dim;
                if (message.blocks && message.blocks.length) {
                    object.blocks = $Array(message.blocks.length);
                    for (let j = 0; j < message.blocks.length; ++j)
                        object.blocks[j] = $root.fisherd.v1.ParameterBlock.toObject(message.blocks[j], options, _depth + 1);
                }
                if (message.structure != null && $Object.hasOwnProperty.call(message, "structure"))
                    object.structure = $root.fisherd.v1.BlockStructure.toObject(message.structure, options, _depth + 1);
                if (message.optimizer != null && $Object.hasOwnProperty.call(message, "optimizer"))
                    object.optimizer = $root.fisherd.v1.OptimizerConfig.toObject(message.optimizer, options, _depth + 1);
                if (message.emaDecay != null && $Object.hasOwnProperty.call(message, "emaDecay"))
                    object.emaDecay = options.json && !$isFinite(message.emaDecay) ? $String(message.emaDecay) : message.emaDecay;
                if (message.fisherSource != null && $Object.hasOwnProperty.call(message, "fisherSource"))
                    object.fisherSource = options.enums === $String ? $root.fisherd.v1.FisherSource[message.fisherSource] === $undefined ? message.fisherSource : $root.fisherd.v1.FisherSource[message.fisherSource] : message.fisherSource;
                if (message.workers != null && $Object.hasOwnProperty.call(message, "workers"))
                    object.workers = message.workers;
                if (message.datasetSize != null && $Object.hasOwnProperty.call(message, "datasetSize"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.datasetSize = typeof message.datasetSize === "number" ? $BigInt(message.datasetSize) : $util.Long.fromBits(message.datasetSize.low >>> 0, message.datasetSize.high >>> 0, true).toBigInt();
                    else if (typeof message.datasetSize === "number")
                        object.datasetSize = options.longs === $String ? $String(message.datasetSize) : message.datasetSize;
                    else
                        object.datasetSize = options.longs === $String ? $util.Long.prototype.toString.call(message.datasetSize) : options.longs === $Number ? new $util.LongBits(message.datasetSize.low >>> 0, message.datasetSize.high >>> 0).toNumber(true) : message.datasetSize;
                if (message.record != null && $Object.hasOwnProperty.call(message, "record"))
                    object.record = message.record;
                if (message.backend != null && $Object.hasOwnProperty.call(message, "backend"))
                    object.backend = message.backend;
                if (message.track != null && $Object.hasOwnProperty.call(message, "track"))
                    object.track = $root.fisherd.v1.TrackedEstimates.toObject(message.track, options, _depth + 1);
                if (message.name != null && $Object.hasOwnProperty.call(message, "name"))
                    object.name = message.name;
                if (message.precision != null && $Object.hasOwnProperty.call(message, "precision"))
                    object.precision = message.precision;
                return object;
            };

            /**
             * Converts this SessionConfig to JSON.
             * @function toJSON
             * @memberof fisherd.v1.SessionConfig
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            SessionConfig.prototype.toJSON = function() {
                return SessionConfig.toObject(this, $protobuf.util.toJSONOptions);
            };

            return SessionConfig;
        })();

        /**
         * FisherSource enum.
         * @name fisherd.v1.FisherSource
         * @enum {number}
         * @property {number} FISHER_SOURCE_UNSPECIFIED=0 treated as SAMPLED
         * @property {number} FISHER_SOURCE_SAMPLED=1 Monte-Carlo F̂ from sampled_label_grads
         * @property {number} FISHER_SOURCE_EXACT=2 F = (1/b) Σ J_nᵀH_nJ_n from fisher_factor_rows
         */
        v1.FisherSource = (function() {
            const valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "FISHER_SOURCE_UNSPECIFIED"] = 0;
            values[valuesById[1] = "FISHER_SOURCE_SAMPLED"] = 1;
            values[valuesById[2] = "FISHER_SOURCE_EXACT"] = 2;
            return values;
        })();

        v1.ParameterBlock = (function() {

            /**
             * Properties of a ParameterBlock.
             * @typedef {Object} fisherd.v1.ParameterBlock.$Properties
             * @property {string|null} [name] Unique, non-empty name (e.g. "layer1.weight").
             * @property {number|null} [size] Number of parameters in the block (>= 1).
             * @property {fisherd.v1.BlockStructure.$Properties|null} [structure] ParameterBlock structure
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ParameterBlock.
             * @memberof fisherd.v1
             * @interface IParameterBlock
             * @augments fisherd.v1.ParameterBlock.$Properties
             * @deprecated Use fisherd.v1.ParameterBlock.$Properties instead.
             */

            /**
             * Shape of a ParameterBlock.
             * @typedef {fisherd.v1.ParameterBlock.$Properties} fisherd.v1.ParameterBlock.$Shape
             */

            /**
             * Constructs a new ParameterBlock.
             * @memberof fisherd.v1
             * @classdesc Represents a ParameterBlock.
             * @constructor
             * @param {fisherd.v1.ParameterBlock.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ParameterBlock = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Unique, non-empty name (e.g. "layer1.weight").
             * @member {string} name
             * @memberof fisherd.v1.ParameterBlock
             * @instance
             */
            ParameterBlock.prototype.name = "";

            /**
             * Number of parameters in the block (>= 1).
             * @member {number} size
             * @memberof fisherd.v1.ParameterBlock
             * @instance
             */
            ParameterBlock.prototype.size = 0;

            /**
             * ParameterBlock structure.
             * @member {fisherd.v1.BlockStructure.$Properties|null|undefined} structure
             * @memberof fisherd.v1.ParameterBlock
             * @instance
             */
            ParameterBlock.prototype.structure = null;

            /**
             * Creates a new ParameterBlock instance using the specified properties.
             * @function create
             * @memberof fisherd.v1.ParameterBlock
             * @static
             * @param {fisherd.v1.ParameterBlock.$Properties=} [properties] Properties to set
             * @returns {fisherd.v1.ParameterBlock} ParameterBlock instance
             * @type {{
             *   (properties: fisherd.v1.ParameterBlock.$Shape): fisherd.v1.ParameterBlock & fisherd.v1.ParameterBlock.$Shape;
             *   (properties?: fisherd.v1.ParameterBlock.$Properties): fisherd.v1.ParameterBlock;
             * }}
             */
            ParameterBlock.create = function(properties) {
                return new ParameterBlock(properties);
            };

            /**
             * Encodes the specified ParameterBlock message. Does not implicitly {@link fisherd.v1.ParameterBlock.verify|verify} messages.
             * @function encode
             * @memberof fisherd.v1.ParameterBlock
             * @static
             * @param {fisherd.v1.ParameterBlock.$Properties} message ParameterBlock message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ParameterBlock.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.name != null && $Object.hasOwnProperty.call(message, "name") && message.name !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.name);
                if (message.size != null && $Object.hasOwnProperty.call(message, "size") && message.size !== 0)
                    writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.size);
                if (message.structure != null && $Object.hasOwnProperty.call(message, "structure"))
                    $root.fisherd.v1.BlockStructure.encode(message.structure, writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a ParameterBlock message from the specified reader or buffer.
             * @function decode
             * @memberof fisherd.v1.ParameterBlock
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fisherd.v1.ParameterBlock & fisherd.v1.ParameterBlock.$Shape} ParameterBlock
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ParameterBlock.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fisherd.v1.ParameterBlock();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.name = value;
                            else
                                delete message.name;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.size = value;
                            else
                                delete message.size;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            message.structure = $root.fisherd.v1.BlockStructure.decode(reader, reader.size(), $undefined, _depth + 1, message.structure);
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a ParameterBlock message.
             * @function verify
             * @memberof fisherd.v1.ParameterBlock
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            ParameterBlock.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.name != null && $Object.hasOwnProperty.call(message, "name"))
                    if (!$util.isString(message.name))
                        return "name: string expected";
                if (message.size != null && $Object.hasOwnProperty.call(message, "size"))
                    if (!$util.isInteger(message.size))
                        return "size: integer expected";
                if (message.structure != null && $Object.hasOwnProperty.call(message, "structure")) {
                    let error = $root.fisherd.v1.BlockStructure.verify(message.structure, _depth + 1);
                    if (error)
                        return "structure." + error;
                }
                return null;
            };

            /**
             * Creates a ParameterBlock message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fisherd.v1.ParameterBlock
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fisherd.v1.ParameterBlock} ParameterBlock
             */
            ParameterBlock.fromObject = function (object, _depth) {
                if (object instanceof $root.fisherd.v1.ParameterBlock)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fisherd.v1.ParameterBlock: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fisherd.v1.ParameterBlock();
                if (object.name != null)
                    if (typeof object.name !== "string" || object.name.length)
                        message.name = $String(object.name);
                if (object.size != null)
                    if ($Number(object.size) !== 0)
                        message.size = object.size >>> 0;
                if (object.structure != null) {
                    if (!$util.isObject(object.structure))
                        throw $TypeError(".fisherd.v1.ParameterBlock.structure: object expected");
                    message.structure = $root.fisherd.v1.BlockStructure.fromObject(object.structure, _depth + 1);
                }
                return message;
            };

            /**
             * Creates a plain object from a ParameterBlock message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fisherd.v1.ParameterBlock
             * @static
             * @param {fisherd.v1.ParameterBlock} message ParameterBlock
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            ParameterBlock.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.name = "";
                    object.size = 0;
                    object.structure = null;
                }
                if (message.name != null && $Object.hasOwnProperty.call(message, "name"))
                    object.name = message.name;
                if (message.size != null && $Object.hasOwnProperty.call(message, "size"))
                    object.size = message.size;
                if (message.structure != null && $Object.hasOwnProperty.call(message, "structure"))
                    object.structure = $root.fisherd.v1.BlockStructure.toObject(message.structure, options, _depth + 1);
                return object;
            };

            /**
             * Converts this ParameterBlock to JSON.
             * @function toJSON
             * @memberof fisherd.v1.ParameterBlock
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            ParameterBlock.prototype.toJSON = function() {
                return ParameterBlock.toObject(this, $protobuf.util.toJSONOptions);
            };

            return ParameterBlock;
        })();

        v1.BlockStructure = (function() {

            /**
             * Properties of a BlockStructure.
             * @typedef {Object} fisherd.v1.BlockStructure.$Properties
             * @property {fisherd.v1.BlockStructure.Kind|null} [kind] BlockStructure kind
             * @property {number|null} [rank] KIND_LOW_RANK only: the rank cap r (>= 1).
             * @property {number|null} [outputs] KIND_KRONECKER only: the weight's rows (>= 1, at most 8192, the largest KIND_FULL block).
             * @property {number|null} [inputs] KIND_KRONECKER only: the weight's columns without the bias (>= 1; in' at most 8192).
             * @property {boolean|null} [bias] KIND_KRONECKER only: whether the block holds the layer's bias after its weight.
             * @property {fisherd.v1.KroneckerDamping|null} [damping] KIND_KRONECKER only: how λ enters the solve (default TIKHONOV).
             * @property {boolean|null} [eigenvalueCorrected] KIND_KRONECKER only: EKFAC, rescaling in the Kronecker eigenbasis (default false; TIKHONOV only).
             * @property {number|null} [refreshEvery] KIND_KRONECKER only: T_inv >= 1, the eigendecompositions are refreshed every this many factor updates
             * (default 1, i.e. 0 = unset = 1). The refresh due at a step uses that step's factors and its update
             * uses it; large factors are decomposed in a worker thread (the daemon's other sessions go on meanwhile).
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a BlockStructure.
             * @memberof fisherd.v1
             * @interface IBlockStructure
             * @augments fisherd.v1.BlockStructure.$Properties
             * @deprecated Use fisherd.v1.BlockStructure.$Properties instead.
             */

            /**
             * Shape of a BlockStructure.
             * @typedef {fisherd.v1.BlockStructure.$Properties} fisherd.v1.BlockStructure.$Shape
             */

            /**
             * Constructs a new BlockStructure.
             * @memberof fisherd.v1
             * @classdesc How a block's D_k×D_k estimate is stored and solved (math.md, "Structures").
             * @constructor
             * @param {fisherd.v1.BlockStructure.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const BlockStructure = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * BlockStructure kind.
             * @member {fisherd.v1.BlockStructure.Kind} kind
             * @memberof fisherd.v1.BlockStructure
             * @instance
             */
            BlockStructure.prototype.kind = 0;

            /**
             * KIND_LOW_RANK only: the rank cap r (>= 1).
             * @member {number} rank
             * @memberof fisherd.v1.BlockStructure
             * @instance
             */
            BlockStructure.prototype.rank = 0;

            /**
             * KIND_KRONECKER only: the weight's rows (>= 1, at most 8192, the largest KIND_FULL block).
             * @member {number} outputs
             * @memberof fisherd.v1.BlockStructure
             * @instance
             */
            BlockStructure.prototype.outputs = 0;

            /**
             * KIND_KRONECKER only: the weight's columns without the bias (>= 1; in' at most 8192).
             * @member {number} inputs
             * @memberof fisherd.v1.BlockStructure
             * @instance
             */
            BlockStructure.prototype.inputs = 0;

            /**
             * KIND_KRONECKER only: whether the block holds the layer's bias after its weight.
             * @member {boolean} bias
             * @memberof fisherd.v1.BlockStructure
             * @instance
             */
            BlockStructure.prototype.bias = false;

            /**
             * KIND_KRONECKER only: how λ enters the solve (default TIKHONOV).
             * @member {fisherd.v1.KroneckerDamping} damping
             * @memberof fisherd.v1.BlockStructure
             * @instance
             */
            BlockStructure.prototype.damping = 0;

            /**
             * KIND_KRONECKER only: EKFAC, rescaling in the Kronecker eigenbasis (default false; TIKHONOV only).
             * @member {boolean} eigenvalueCorrected
             * @memberof fisherd.v1.BlockStructure
             * @instance
             */
            BlockStructure.prototype.eigenvalueCorrected = false;

            /**
             * KIND_KRONECKER only: T_inv >= 1, the eigendecompositions are refreshed every this many factor updates
             * (default 1, i.e. 0 = unset = 1). The refresh due at a step uses that step's factors and its update
             * uses it; large factors are decomposed in a worker thread (the daemon's other sessions go on meanwhile).
             * @member {number} refreshEvery
             * @memberof fisherd.v1.BlockStructure
             * @instance
             */
            BlockStructure.prototype.refreshEvery = 0;

            /**
             * Creates a new BlockStructure instance using the specified properties.
             * @function create
             * @memberof fisherd.v1.BlockStructure
             * @static
             * @param {fisherd.v1.BlockStructure.$Properties=} [properties] Properties to set
             * @returns {fisherd.v1.BlockStructure} BlockStructure instance
             * @type {{
             *   (properties: fisherd.v1.BlockStructure.$Shape): fisherd.v1.BlockStructure & fisherd.v1.BlockStructure.$Shape;
             *   (properties?: fisherd.v1.BlockStructure.$Properties): fisherd.v1.BlockStructure;
             * }}
             */
            BlockStructure.create = function(properties) {
                return new BlockStructure(properties);
            };

            /**
             * Encodes the specified BlockStructure message. Does not implicitly {@link fisherd.v1.BlockStructure.verify|verify} messages.
             * @function encode
             * @memberof fisherd.v1.BlockStructure
             * @static
             * @param {fisherd.v1.BlockStructure.$Properties} message BlockStructure message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            BlockStructure.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.kind != null && $Object.hasOwnProperty.call(message, "kind") && message.kind !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).int32(message.kind);
                if (message.rank != null && $Object.hasOwnProperty.call(message, "rank") && message.rank !== 0)
                    writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.rank);
                if (message.outputs != null && $Object.hasOwnProperty.call(message, "outputs") && message.outputs !== 0)
                    writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.outputs);
                if (message.inputs != null && $Object.hasOwnProperty.call(message, "inputs") && message.inputs !== 0)
                    writer.uint32(/* id 4, wireType 0 =*/32).uint32(message.inputs);
                if (message.bias != null && $Object.hasOwnProperty.call(message, "bias") && message.bias !== false)
                    writer.uint32(/* id 5, wireType 0 =*/40).bool(message.bias);
                if (message.damping != null && $Object.hasOwnProperty.call(message, "damping") && message.damping !== 0)
                    writer.uint32(/* id 6, wireType 0 =*/48).int32(message.damping);
                if (message.eigenvalueCorrected != null && $Object.hasOwnProperty.call(message, "eigenvalueCorrected") && message.eigenvalueCorrected !== false)
                    writer.uint32(/* id 7, wireType 0 =*/56).bool(message.eigenvalueCorrected);
                if (message.refreshEvery != null && $Object.hasOwnProperty.call(message, "refreshEvery") && message.refreshEvery !== 0)
                    writer.uint32(/* id 8, wireType 0 =*/64).uint32(message.refreshEvery);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a BlockStructure message from the specified reader or buffer.
             * @function decode
             * @memberof fisherd.v1.BlockStructure
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fisherd.v1.BlockStructure & fisherd.v1.BlockStructure.$Shape} BlockStructure
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            BlockStructure.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fisherd.v1.BlockStructure();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.kind = value;
                            else
                                delete message.kind;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.rank = value;
                            else
                                delete message.rank;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.outputs = value;
                            else
                                delete message.outputs;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.inputs = value;
                            else
                                delete message.inputs;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.bias = value;
                            else
                                delete message.bias;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.damping = value;
                            else
                                delete message.damping;
                            continue;
                        }
                    case 7: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.eigenvalueCorrected = value;
                            else
                                delete message.eigenvalueCorrected;
                            continue;
                        }
                    case 8: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.refreshEvery = value;
                            else
                                delete message.refreshEvery;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a BlockStructure message.
             * @function verify
             * @memberof fisherd.v1.BlockStructure
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            BlockStructure.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.kind != null && $Object.hasOwnProperty.call(message, "kind"))
                    if (typeof message.kind !== "number" || (message.kind | 0) !== message.kind)
                        return "kind: enum value expected";
                if (message.rank != null && $Object.hasOwnProperty.call(message, "rank"))
                    if (!$util.isInteger(message.rank))
                        return "rank: integer expected";
                if (message.outputs != null && $Object.hasOwnProperty.call(message, "outputs"))
                    if (!$util.isInteger(message.outputs))
                        return "outputs: integer expected";
                if (message.inputs != null && $Object.hasOwnProperty.call(message, "inputs"))
                    if (!$util.isInteger(message.inputs))
                        return "inputs: integer expected";
                if (message.bias != null && $Object.hasOwnProperty.call(message, "bias"))
                    if (typeof message.bias !== "boolean")
                        return "bias: boolean expected";
                if (message.damping != null && $Object.hasOwnProperty.call(message, "damping"))
                    if (typeof message.damping !== "number" || (message.damping | 0) !== message.damping)
                        return "damping: enum value expected";
                if (message.eigenvalueCorrected != null && $Object.hasOwnProperty.call(message, "eigenvalueCorrected"))
                    if (typeof message.eigenvalueCorrected !== "boolean")
                        return "eigenvalueCorrected: boolean expected";
                if (message.refreshEvery != null && $Object.hasOwnProperty.call(message, "refreshEvery"))
                    if (!$util.isInteger(message.refreshEvery))
                        return "refreshEvery: integer expected";
                return null;
            };

            /**
             * Creates a BlockStructure message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fisherd.v1.BlockStructure
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fisherd.v1.BlockStructure} BlockStructure
             */
            BlockStructure.fromObject = function (object, _depth) {
                if (object instanceof $root.fisherd.v1.BlockStructure)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fisherd.v1.BlockStructure: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fisherd.v1.BlockStructure();
                if (object.kind !== 0 && (typeof object.kind !== "string" || $root.fisherd.v1.BlockStructure.Kind[object.kind] !== 0))
                    switch (object.kind) {
                    case "KIND_UNSPECIFIED":
                    case 0:
                        message.kind = 0;
                        break;
                    case "KIND_FULL":
                    case 1:
                        message.kind = 1;
                        break;
                    case "KIND_DIAGONAL":
                    case 2:
                        message.kind = 2;
                        break;
                    case "KIND_LOW_RANK":
                    case 3:
                        message.kind = 3;
                        break;
                    case "KIND_KRONECKER":
                    case 4:
                        message.kind = 4;
                        break;
                    default:
                        if (typeof object.kind === "number" && (object.kind | 0) === object.kind)
                            message.kind = object.kind;
                    }
                if (object.rank != null)
                    if ($Number(object.rank) !== 0)
                        message.rank = object.rank >>> 0;
                if (object.outputs != null)
                    if ($Number(object.outputs) !== 0)
                        message.outputs = object.outputs >>> 0;
                if (object.inputs != null)
                    if ($Number(object.inputs) !== 0)
                        message.inputs = object.inputs >>> 0;
                if (object.bias != null)
                    if (object.bias)
                        message.bias = $Boolean(object.bias);
                if (object.damping !== 0 && (typeof object.damping !== "string" || $root.fisherd.v1.KroneckerDamping[object.damping] !== 0))
                    switch (object.damping) {
                    case "KRONECKER_DAMPING_UNSPECIFIED":
                    case 0:
                        message.damping = 0;
                        break;
                    case "KRONECKER_DAMPING_TIKHONOV":
                    case 1:
                        message.damping = 1;
                        break;
                    case "KRONECKER_DAMPING_PI":
                    case 2:
                        message.damping = 2;
                        break;
                    default:
                        if (typeof object.damping === "number" && (object.damping | 0) === object.damping)
                            message.damping = object.damping;
                    }
                if (object.eigenvalueCorrected != null)
                    if (object.eigenvalueCorrected)
                        message.eigenvalueCorrected = $Boolean(object.eigenvalueCorrected);
                if (object.refreshEvery != null)
                    if ($Number(object.refreshEvery) !== 0)
                        message.refreshEvery = object.refreshEvery >>> 0;
                return message;
            };

            /**
             * Creates a plain object from a BlockStructure message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fisherd.v1.BlockStructure
             * @static
             * @param {fisherd.v1.BlockStructure} message BlockStructure
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            BlockStructure.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.kind = options.enums === $String ? "KIND_UNSPECIFIED" : 0;
                    object.rank = 0;
                    object.outputs = 0;
                    object.inputs = 0;
                    object.bias = false;
                    object.damping = options.enums === $String ? "KRONECKER_DAMPING_UNSPECIFIED" : 0;
                    object.eigenvalueCorrected = false;
                    object.refreshEvery = 0;
                }
                if (message.kind != null && $Object.hasOwnProperty.call(message, "kind"))
                    object.kind = options.enums === $String ? $root.fisherd.v1.BlockStructure.Kind[message.kind] === $undefined ? message.kind : $root.fisherd.v1.BlockStructure.Kind[message.kind] : message.kind;
                if (message.rank != null && $Object.hasOwnProperty.call(message, "rank"))
                    object.rank = message.rank;
                if (message.outputs != null && $Object.hasOwnProperty.call(message, "outputs"))
                    object.outputs = message.outputs;
                if (message.inputs != null && $Object.hasOwnProperty.call(message, "inputs"))
                    object.inputs = message.inputs;
                if (message.bias != null && $Object.hasOwnProperty.call(message, "bias"))
                    object.bias = message.bias;
                if (message.damping != null && $Object.hasOwnProperty.call(message, "damping"))
                    object.damping = options.enums === $String ? $root.fisherd.v1.KroneckerDamping[message.damping] === $undefined ? message.damping : $root.fisherd.v1.KroneckerDamping[message.damping] : message.damping;
                if (message.eigenvalueCorrected != null && $Object.hasOwnProperty.call(message, "eigenvalueCorrected"))
                    object.eigenvalueCorrected = message.eigenvalueCorrected;
                if (message.refreshEvery != null && $Object.hasOwnProperty.call(message, "refreshEvery"))
                    object.refreshEvery = message.refreshEvery;
                return object;
            };

            /**
             * Converts this BlockStructure to JSON.
             * @function toJSON
             * @memberof fisherd.v1.BlockStructure
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            BlockStructure.prototype.toJSON = function() {
                return BlockStructure.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Kind enum.
             * @name fisherd.v1.BlockStructure.Kind
             * @enum {number}
             * @property {number} KIND_UNSPECIFIED=0 treated as KIND_DIAGONAL
             * @property {number} KIND_FULL=1 dense D_k², Cholesky solve (D_k <= 8192)
             * @property {number} KIND_DIAGONAL=2 D_k, elementwise solve
             * @property {number} KIND_LOW_RANK=3 r·D_k rows, Woodbury solve (needs damping > 0)
             * @property {number} KIND_KRONECKER=4 One layer's weight (outputs × inputs, plus a bias column): Ḡ ⊗ Ā from Kronecker factors (K-FAC,
             * math.md). D_k = outputs·in' (in' = inputs + 1 with bias). Fed by KroneckerStatistics only (rows are
             * refused when the session tracks an estimate); no noise estimate (snr, va, track.noise refused).
             */
            BlockStructure.Kind = (function() {
                const valuesById = $Object.create(null), values = $Object.create(valuesById);
                values[valuesById[0] = "KIND_UNSPECIFIED"] = 0;
                values[valuesById[1] = "KIND_FULL"] = 1;
                values[valuesById[2] = "KIND_DIAGONAL"] = 2;
                values[valuesById[3] = "KIND_LOW_RANK"] = 3;
                values[valuesById[4] = "KIND_KRONECKER"] = 4;
                return values;
            })();

            return BlockStructure;
        })();

        /**
         * KroneckerDamping enum.
         * @name fisherd.v1.KroneckerDamping
         * @enum {number}
         * @property {number} KRONECKER_DAMPING_UNSPECIFIED=0 treated as TIKHONOV
         * @property {number} KRONECKER_DAMPING_TIKHONOV=1 (Ḡ⊗Ā + λI)⁻¹, exact through the eigendecompositions
         * @property {number} KRONECKER_DAMPING_PI=2 ((Ḡ + √λ/π I) ⊗ (Ā + π√λ I))⁻¹ (Martens & Grosse 2015, §6.3)
         */
        v1.KroneckerDamping = (function() {
            const valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "KRONECKER_DAMPING_UNSPECIFIED"] = 0;
            values[valuesById[1] = "KRONECKER_DAMPING_TIKHONOV"] = 1;
            values[valuesById[2] = "KRONECKER_DAMPING_PI"] = 2;
            return values;
        })();

        v1.OptimizerConfig = (function() {

            /**
             * Properties of an OptimizerConfig.
             * @typedef {Object} fisherd.v1.OptimizerConfig.$Properties
             * @property {fisherd.v1.OptimizerConfig.Name|null} [name] OptimizerConfig name
             * @property {fisherd.v1.Schedule.$Properties|null} [stepSize] γ > 0, optionally scheduled. Required.
             * @property {fisherd.v1.Schedule.$Properties|null} [damping] λ >= 0 of the solves (ngd, efgd, va) and of the cosine diagnostic (default 1e-8).
             * @property {number|null} [momentum] Heavy-ball momentum μ ∈ [0, 1) (default 0).
             * @property {boolean|null} [nesterov] Nesterov momentum (default false; needs momentum > 0).
             * @property {number|null} [weightDecay] Decoupled weight decay κ >= 0 (default 0); clients must then send StepContribution.params.
             * @property {fisherd.v1.OptimizerConfig.SnrVariance|null} [snrVariance] snr only: where S comes from (default noise).
             * @property {number|null} [msvagDecay] snr with moments: M-SVAG's EMA decay β ∈ (0, 1) (default 0.9).
             * @property {boolean|null} [blockwise] va only: Sherman–Morrison per parameter block instead of globally (default false).
             * @property {fisherd.v1.OptimizerConfig.Adam.$Properties|null} [adam] adam only.
             * @property {fisherd.v1.DampingAdaptation.$Properties|null} [dampingAdaptation] ngd and efgd only: Levenberg–Marquardt adaptation of the damping λ (docs/math.md, "Damping
             * adaptation"); when set, the adapted λ replaces the damping schedule. Absent: no adaptation.
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an OptimizerConfig.
             * @memberof fisherd.v1
             * @interface IOptimizerConfig
             * @augments fisherd.v1.OptimizerConfig.$Properties
             * @deprecated Use fisherd.v1.OptimizerConfig.$Properties instead.
             */

            /**
             * Shape of an OptimizerConfig.
             * @typedef {{
             *   name?: fisherd.v1.OptimizerConfig.Name|null;
             *   stepSize?: fisherd.v1.Schedule.$Shape|null;
             *   damping?: fisherd.v1.Schedule.$Shape|null;
             *   momentum?: number|null;
             *   nesterov?: boolean|null;
             *   weightDecay?: number|null;
             *   snrVariance?: fisherd.v1.OptimizerConfig.SnrVariance|null;
             *   msvagDecay?: number|null;
             *   blockwise?: boolean|null;
             *   adam?: fisherd.v1.OptimizerConfig.Adam.$Shape|null;
             *   dampingAdaptation?: fisherd.v1.DampingAdaptation.$Shape|null;
             *   $unknowns?: Array.<Uint8Array>;
             * }} fisherd.v1.OptimizerConfig.$Shape
             */

            /**
             * Constructs a new OptimizerConfig.
             * @memberof fisherd.v1
             * @classdesc Mirrors src/optim/spec.ts `OptimizerSpec`.
             * @constructor
             * @param {fisherd.v1.OptimizerConfig.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const OptimizerConfig = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * OptimizerConfig name.
             * @member {fisherd.v1.OptimizerConfig.Name} name
             * @memberof fisherd.v1.OptimizerConfig
             * @instance
             */
            OptimizerConfig.prototype.name = 0;

            /**
             * γ > 0, optionally scheduled. Required.
             * @member {fisherd.v1.Schedule.$Properties|null|undefined} stepSize
             * @memberof fisherd.v1.OptimizerConfig
             * @instance
             */
            OptimizerConfig.prototype.stepSize = null;

            /**
             * λ >= 0 of the solves (ngd, efgd, va) and of the cosine diagnostic (default 1e-8).
             * @member {fisherd.v1.Schedule.$Properties|null|undefined} damping
             * @memberof fisherd.v1.OptimizerConfig
             * @instance
             */
            OptimizerConfig.prototype.damping = null;

            /**
             * Heavy-ball momentum μ ∈ [0, 1) (default 0).
             * @member {number|null|undefined} momentum
             * @memberof fisherd.v1.OptimizerConfig
             * @instance
             */
            OptimizerConfig.prototype.momentum = null;

            /**
             * Nesterov momentum (default false; needs momentum > 0).
             * @member {boolean} nesterov
             * @memberof fisherd.v1.OptimizerConfig
             * @instance
             */
            OptimizerConfig.prototype.nesterov = false;

            /**
             * Decoupled weight decay κ >= 0 (default 0); clients must then send StepContribution.params.
             * @member {number|null|undefined} weightDecay
             * @memberof fisherd.v1.OptimizerConfig
             * @instance
             */
            OptimizerConfig.prototype.weightDecay = null;

            /**
             * snr only: where S comes from (default noise).
             * @member {fisherd.v1.OptimizerConfig.SnrVariance} snrVariance
             * @memberof fisherd.v1.OptimizerConfig
             * @instance
             */
            OptimizerConfig.prototype.snrVariance = 0;

            /**
             * snr with moments: M-SVAG's EMA decay β ∈ (0, 1) (default 0.9).
             * @member {number|null|undefined} msvagDecay
             * @memberof fisherd.v1.OptimizerConfig
             * @instance
             */
            OptimizerConfig.prototype.msvagDecay = null;

            /**
             * va only: Sherman–Morrison per parameter block instead of globally (default false).
             * @member {boolean} blockwise
             * @memberof fisherd.v1.OptimizerConfig
             * @instance
             */
            OptimizerConfig.prototype.blockwise = false;

            /**
             * adam only.
             * @member {fisherd.v1.OptimizerConfig.Adam.$Properties|null|undefined} adam
             * @memberof fisherd.v1.OptimizerConfig
             * @instance
             */
            OptimizerConfig.prototype.adam = null;

            /**
             * ngd and efgd only: Levenberg–Marquardt adaptation of the damping λ (docs/math.md, "Damping
             * adaptation"); when set, the adapted λ replaces the damping schedule. Absent: no adaptation.
             * @member {fisherd.v1.DampingAdaptation.$Properties|null|undefined} dampingAdaptation
             * @memberof fisherd.v1.OptimizerConfig
             * @instance
             */
            OptimizerConfig.prototype.dampingAdaptation = null;

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            // Virtual OneOf for proto3 optional field
            $Object.defineProperty(OptimizerConfig.prototype, "_momentum", {
                get: $util.oneOfGetter($oneOfFields = ["momentum"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            // Virtual OneOf for proto3 optional field
            $Object.defineProperty(OptimizerConfig.prototype, "_weightDecay", {
                get: $util.oneOfGetter($oneOfFields = ["weightDecay"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            // Virtual OneOf for proto3 optional field
            $Object.defineProperty(OptimizerConfig.prototype, "_msvagDecay", {
                get: $util.oneOfGetter($oneOfFields = ["msvagDecay"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new OptimizerConfig instance using the specified properties.
             * @function create
             * @memberof fisherd.v1.OptimizerConfig
             * @static
             * @param {fisherd.v1.OptimizerConfig.$Properties=} [properties] Properties to set
             * @returns {fisherd.v1.OptimizerConfig} OptimizerConfig instance
             * @type {{
             *   (properties: fisherd.v1.OptimizerConfig.$Shape): fisherd.v1.OptimizerConfig & fisherd.v1.OptimizerConfig.$Shape;
             *   (properties?: fisherd.v1.OptimizerConfig.$Properties): fisherd.v1.OptimizerConfig;
             * }}
             */
            OptimizerConfig.create = function(properties) {
                return new OptimizerConfig(properties);
            };

            /**
             * Encodes the specified OptimizerConfig message. Does not implicitly {@link fisherd.v1.OptimizerConfig.verify|verify} messages.
             * @function encode
             * @memberof fisherd.v1.OptimizerConfig
             * @static
             * @param {fisherd.v1.OptimizerConfig.$Properties} message OptimizerConfig message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            OptimizerConfig.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.name != null && $Object.hasOwnProperty.call(message, "name") && message.name !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).int32(message.name);
                if (message.stepSize != null && $Object.hasOwnProperty.call(message, "stepSize"))
                    $root.fisherd.v1.Schedule.encode(message.stepSize, writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                if (message.damping != null && $Object.hasOwnProperty.call(message, "damping"))
                    $root.fisherd.v1.Schedule.encode(message.damping, writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                if (message.momentum != null && $Object.hasOwnProperty.call(message, "momentum"))
                    writer.uint32(/* id 4, wireType 1 =*/33).double(message.momentum);
                if (message.nesterov != null && $Object.hasOwnProperty.call(message, "nesterov") && message.nesterov !== false)
                    writer.uint32(/* id 5, wireType 0 =*/40).bool(message.nesterov);
                if (message.weightDecay != null && $Object.hasOwnProperty.call(message, "weightDecay"))
                    writer.uint32(/* id 6, wireType 1 =*/49).double(message.weightDecay);
                if (message.snrVariance != null && $Object.hasOwnProperty.call(message, "snrVariance") && message.snrVariance !== 0)
                    writer.uint32(/* id 7, wireType 0 =*/56).int32(message.snrVariance);
                if (message.msvagDecay != null && $Object.hasOwnProperty.call(message, "msvagDecay"))
                    writer.uint32(/* id 8, wireType 1 =*/65).double(message.msvagDecay);
                if (message.blockwise != null && $Object.hasOwnProperty.call(message, "blockwise") && message.blockwise !== false)
                    writer.uint32(/* id 9, wireType 0 =*/72).bool(message.blockwise);
                if (message.adam != null && $Object.hasOwnProperty.call(message, "adam"))
                    $root.fisherd.v1.OptimizerConfig.Adam.encode(message.adam, writer.uint32(/* id 10, wireType 2 =*/82).fork(), _depth + 1).ldelim();
                if (message.dampingAdaptation != null && $Object.hasOwnProperty.call(message, "dampingAdaptation"))
                    $root.fisherd.v1.DampingAdaptation.encode(message.dampingAdaptation, writer.uint32(/* id 11, wireType 2 =*/90).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes an OptimizerConfig message from the specified reader or buffer.
             * @function decode
             * @memberof fisherd.v1.OptimizerConfig
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fisherd.v1.OptimizerConfig & fisherd.v1.OptimizerConfig.$Shape} OptimizerConfig
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            OptimizerConfig.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fisherd.v1.OptimizerConfig();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.name = value;
                            else
                                delete message.name;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            message.stepSize = $root.fisherd.v1.Schedule.decode(reader, reader.size(), $undefined, _depth + 1, message.stepSize);
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            message.damping = $root.fisherd.v1.Schedule.decode(reader, reader.size(), $undefined, _depth + 1, message.damping);
                            continue;
                        }
                    case 4: {
                            if (wireType !== 1)
                                break;
                            message.momentum = reader.double();
                            message._momentum = "momentum";
                            continue;
                        }
                    case 5: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.nesterov = value;
                            else
                                delete message.nesterov;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 1)
                                break;
                            message.weightDecay = reader.double();
                            message._weightDecay = "weightDecay";
                            continue;
                        }
                    case 7: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.snrVariance = value;
                            else
                                delete message.snrVariance;
                            continue;
                        }
                    case 8: {
                            if (wireType !== 1)
                                break;
                            message.msvagDecay = reader.double();
                            message._msvagDecay = "msvagDecay";
                            continue;
                        }
                    case 9: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.blockwise = value;
                            else
                                delete message.blockwise;
                            continue;
                        }
                    case 10: {
                            if (wireType !== 2)
                                break;
                            message.adam = $root.fisherd.v1.OptimizerConfig.Adam.decode(reader, reader.size(), $undefined, _depth + 1, message.adam);
                            continue;
                        }
                    case 11: {
                            if (wireType !== 2)
                                break;
                            message.dampingAdaptation = $root.fisherd.v1.DampingAdaptation.decode(reader, reader.size(), $undefined, _depth + 1, message.dampingAdaptation);
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies an OptimizerConfig message.
             * @function verify
             * @memberof fisherd.v1.OptimizerConfig
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            OptimizerConfig.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                let properties = {};
                if (message.name != null && $Object.hasOwnProperty.call(message, "name"))
                    if (typeof message.name !== "number" || (message.name | 0) !== message.name)
                        return "name: enum value expected";
                if (message.stepSize != null && $Object.hasOwnProperty.call(message, "stepSize")) {
                    let error = $root.fisherd.v1.Schedule.verify(message.stepSize, _depth + 1);
                    if (error)
                        return "stepSize." + error;
                }
                if (message.damping != null && $Object.hasOwnProperty.call(message, "damping")) {
                    let error = $root.fisherd.v1.Schedule.verify(message.damping, _depth + 1);
                    if (error)
                        return "damping." + error;
                }
                if (message.momentum != null && $Object.hasOwnProperty.call(message, "momentum")) {
                    properties._momentum = 1;
                    if (typeof message.momentum !== "number")
                        return "momentum: number expected";
                }
                if (message.nesterov != null && $Object.hasOwnProperty.call(message, "nesterov"))
                    if (typeof message.nesterov !== "boolean")
                        return "nesterov: boolean expected";
                if (message.weightDecay != null && $Object.hasOwnProperty.call(message, "weightDecay")) {
                    properties._weightDecay = 1;
                    if (typeof message.weightDecay !== "number")
                        return "weightDecay: number expected";
                }
                if (message.snrVariance != null && $Object.hasOwnProperty.call(message, "snrVariance"))
                    if (typeof message.snrVariance !== "number" || (message.snrVariance | 0) !== message.snrVariance)
                        return "snrVariance: enum value expected";
                if (message.msvagDecay != null && $Object.hasOwnProperty.call(message, "msvagDecay")) {
                    properties._msvagDecay = 1;
                    if (typeof message.msvagDecay !== "number")
                        return "msvagDecay: number expected";
                }
                if (message.blockwise != null && $Object.hasOwnProperty.call(message, "blockwise"))
                    if (typeof message.blockwise !== "boolean")
                        return "blockwise: boolean expected";
                if (message.adam != null && $Object.hasOwnProperty.call(message, "adam")) {
                    let error = $root.fisherd.v1.OptimizerConfig.Adam.verify(message.adam, _depth + 1);
                    if (error)
                        return "adam." + error;
                }
                if (message.dampingAdaptation != null && $Object.hasOwnProperty.call(message, "dampingAdaptation")) {
                    let error = $root.fisherd.v1.DampingAdaptation.verify(message.dampingAdaptation, _depth + 1);
                    if (error)
                        return "dampingAdaptation." + error;
                }
                return null;
            };

            /**
             * Creates an OptimizerConfig message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fisherd.v1.OptimizerConfig
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fisherd.v1.OptimizerConfig} OptimizerConfig
             */
            OptimizerConfig.fromObject = function (object, _depth) {
                if (object instanceof $root.fisherd.v1.OptimizerConfig)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fisherd.v1.OptimizerConfig: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fisherd.v1.OptimizerConfig();
                if (object.name !== 0 && (typeof object.name !== "string" || $root.fisherd.v1.OptimizerConfig.Name[object.name] !== 0))
                    switch (object.name) {
                    case "NAME_UNSPECIFIED":
                    case 0:
                        message.name = 0;
                        break;
                    case "NAME_SGD":
                    case 1:
                        message.name = 1;
                        break;
                    case "NAME_NGD":
                    case 2:
                        message.name = 2;
                        break;
                    case "NAME_EFGD":
                    case 3:
                        message.name = 3;
                        break;
                    case "NAME_SNR":
                    case 4:
                        message.name = 4;
                        break;
                    case "NAME_VA":
                    case 5:
                        message.name = 5;
                        break;
                    case "NAME_ADAM":
                    case 6:
                        message.name = 6;
                        break;
                    default:
                        if (typeof object.name === "number" && (object.name | 0) === object.name)
                            message.name = object.name;
                    }
                if (object.stepSize != null) {
                    if (!$util.isObject(object.stepSize))
                        throw $TypeError(".fisherd.v1.OptimizerConfig.stepSize: object expected");
                    message.stepSize = $root.fisherd.v1.Schedule.fromObject(object.stepSize, _depth + 1);
                }
                if (object.damping != null) {
                    if (!$util.isObject(object.damping))
                        throw $TypeError(".fisherd.v1.OptimizerConfig.damping: object expected");
                    message.damping = $root.fisherd.v1.Schedule.fromObject(object.damping, _depth + 1);
                }
                if (object.momentum != null)
                    message.momentum = $Number(object.momentum);
                if (object.nesterov != null)
                    if (object.nesterov)
                        message.nesterov = $Boolean(object.nesterov);
                if (object.weightDecay != null)
                    message.weightDecay = $Number(object.weightDecay);
                if (object.snrVariance !== 0 && (typeof object.snrVariance !== "string" || $root.fisherd.v1.OptimizerConfig.SnrVariance[object.snrVariance] !== 0))
                    switch (object.snrVariance) {
                    case "SNR_VARIANCE_UNSPECIFIED":
                    case 0:
                        message.snrVariance = 0;
                        break;
                    case "SNR_VARIANCE_NOISE":
                    case 1:
                        message.snrVariance = 1;
                        break;
                    case "SNR_VARIANCE_MOMENTS":
                    case 2:
                        message.snrVariance = 2;
                        break;
                    default:
                        if (typeof object.snrVariance === "number" && (object.snrVariance | 0) === object.snrVariance)
                            message.snrVariance = object.snrVariance;
                    }
                if (object.msvagDecay != null)
                    message.msvagDecay = $Number(object.msvagDecay);
                if (object.blockwise != null)
                    if (object.blockwise)
                        message.blockwise = $Boolean(object.blockwise);
                if (object.adam != null) {
                    if (!$util.isObject(object.adam))
                        throw $TypeError(".fisherd.v1.OptimizerConfig.adam: object expected");
                    message.adam = $root.fisherd.v1.OptimizerConfig.Adam.fromObject(object.adam, _depth + 1);
                }
                if (object.dampingAdaptation != null) {
                    if (!$util.isObject(object.dampingAdaptation))
                        throw $TypeError(".fisherd.v1.OptimizerConfig.dampingAdaptation: object expected");
                    message.dampingAdaptation = $root.fisherd.v1.DampingAdaptation.fromObject(object.dampingAdaptation, _depth + 1);
                }
                return message;
            };

            /**
             * Creates a plain object from an OptimizerConfig message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fisherd.v1.OptimizerConfig
             * @static
             * @param {fisherd.v1.OptimizerConfig} message OptimizerConfig
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            OptimizerConfig.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.name = options.enums === $String ? "NAME_UNSPECIFIED" : 0;
                    object.stepSize = null;
                    object.damping = null;
                    object.nesterov = false;
                    object.snrVariance = options.enums === $String ? "SNR_VARIANCE_UNSPECIFIED" : 0;
                    object.blockwise = false;
                    object.adam = null;
                    object.dampingAdaptation = null;
                }
                if (message.name != null && $Object.hasOwnProperty.call(message, "name"))
                    object.name = options.enums === $String ? $root.fisherd.v1.OptimizerConfig.Name[message.name] === $undefined ? message.name : $root.fisherd.v1.OptimizerConfig.Name[message.name] : message.name;
                if (message.stepSize != null && $Object.hasOwnProperty.call(message, "stepSize"))
                    object.stepSize = $root.fisherd.v1.Schedule.toObject(message.stepSize, options, _depth + 1);
                if (message.damping != null && $Object.hasOwnProperty.call(message, "damping"))
                    object.damping = $root.fisherd.v1.Schedule.toObject(message.damping, options, _depth + 1);
                if (message.momentum != null && $Object.hasOwnProperty.call(message, "momentum"))
                    object.momentum = options.json && !$isFinite(message.momentum) ? $String(message.momentum) : message.momentum;
                if (message.nesterov != null && $Object.hasOwnProperty.call(message, "nesterov"))
                    object.nesterov = message.nesterov;
                if (message.weightDecay != null && $Object.hasOwnProperty.call(message, "weightDecay"))
                    object.weightDecay = options.json && !$isFinite(message.weightDecay) ? $String(message.weightDecay) : message.weightDecay;
                if (message.snrVariance != null && $Object.hasOwnProperty.call(message, "snrVariance"))
                    object.snrVariance = options.enums === $String ? $root.fisherd.v1.OptimizerConfig.SnrVariance[message.snrVariance] === $undefined ? message.snrVariance : $root.fisherd.v1.OptimizerConfig.SnrVariance[message.snrVariance] : message.snrVariance;
                if (message.msvagDecay != null && $Object.hasOwnProperty.call(message, "msvagDecay"))
                    object.msvagDecay = options.json && !$isFinite(message.msvagDecay) ? $String(message.msvagDecay) : message.msvagDecay;
                if (message.blockwise != null && $Object.hasOwnProperty.call(message, "blockwise"))
                    object.blockwise = message.blockwise;
                if (message.adam != null && $Object.hasOwnProperty.call(message, "adam"))
                    object.adam = $root.fisherd.v1.OptimizerConfig.Adam.toObject(message.adam, options, _depth + 1);
                if (message.dampingAdaptation != null && $Object.hasOwnProperty.call(message, "dampingAdaptation"))
                    object.dampingAdaptation = $root.fisherd.v1.DampingAdaptation.toObject(message.dampingAdaptation, options, _depth + 1);
                return object;
            };

            /**
             * Converts this OptimizerConfig to JSON.
             * @function toJSON
             * @memberof fisherd.v1.OptimizerConfig
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            OptimizerConfig.prototype.toJSON = function() {
                return OptimizerConfig.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Name enum.
             * @name fisherd.v1.OptimizerConfig.Name
             * @enum {number}
             * @property {number} NAME_UNSPECIFIED=0 rejected
             * @property {number} NAME_SGD=1 −γ ḡ
             * @property {number} NAME_NGD=2 −γ (F + λI)⁻¹ ḡ
             * @property {number} NAME_EFGD=3 −γ (Ẽ + λI)⁻¹ ḡ
             * @property {number} NAME_SNR=4 −γ D ḡ, D_ii = ḡ_i² / (ḡ_i² + S_ii)
             * @property {number} NAME_VA=5 −γ (S + ḡḡᵀ)⁻¹ ḡḡᵀ ḡ (paper eq. 19)
             * @property {number} NAME_ADAM=6 Adam, the paper's reference point
             */
            OptimizerConfig.Name = (function() {
                const valuesById = $Object.create(null), values = $Object.create(valuesById);
                values[valuesById[0] = "NAME_UNSPECIFIED"] = 0;
                values[valuesById[1] = "NAME_SGD"] = 1;
                values[valuesById[2] = "NAME_NGD"] = 2;
                values[valuesById[3] = "NAME_EFGD"] = 3;
                values[valuesById[4] = "NAME_SNR"] = 4;
                values[valuesById[5] = "NAME_VA"] = 5;
                values[valuesById[6] = "NAME_ADAM"] = 6;
                return values;
            })();

            /**
             * SnrVariance enum.
             * @name fisherd.v1.OptimizerConfig.SnrVariance
             * @enum {number}
             * @property {number} SNR_VARIANCE_UNSPECIFIED=0 treated as NOISE
             * @property {number} SNR_VARIANCE_NOISE=1 S from per-example gradients
             * @property {number} SNR_VARIANCE_MOMENTS=2 M-SVAG's own moment estimate (Balles & Hennig 2018)
             */
            OptimizerConfig.SnrVariance = (function() {
                const valuesById = $Object.create(null), values = $Object.create(valuesById);
                values[valuesById[0] = "SNR_VARIANCE_UNSPECIFIED"] = 0;
                values[valuesById[1] = "SNR_VARIANCE_NOISE"] = 1;
                values[valuesById[2] = "SNR_VARIANCE_MOMENTS"] = 2;
                return values;
            })();

            OptimizerConfig.Adam = (function() {

                /**
                 * Properties of an Adam.
                 * @typedef {Object} fisherd.v1.OptimizerConfig.Adam.$Properties
                 * @property {number|null} [b1] β₁ ∈ [0, 1) (default 0.9)
                 * @property {number|null} [b2] β₂ ∈ [0, 1) (default 0.999)
                 * @property {number|null} [eps] ε > 0 (default 1e-8)
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of an Adam.
                 * @memberof fisherd.v1.OptimizerConfig
                 * @interface IAdam
                 * @augments fisherd.v1.OptimizerConfig.Adam.$Properties
                 * @deprecated Use fisherd.v1.OptimizerConfig.Adam.$Properties instead.
                 */

                /**
                 * Shape of an Adam.
                 * @typedef {fisherd.v1.OptimizerConfig.Adam.$Properties} fisherd.v1.OptimizerConfig.Adam.$Shape
                 */

                /**
                 * Constructs a new Adam.
                 * @memberof fisherd.v1.OptimizerConfig
                 * @classdesc Represents an Adam.
                 * @constructor
                 * @param {fisherd.v1.OptimizerConfig.Adam.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Adam = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * β₁ ∈ [0, 1) (default 0.9)
                 * @member {number|null|undefined} b1
                 * @memberof fisherd.v1.OptimizerConfig.Adam
                 * @instance
                 */
                Adam.prototype.b1 = null;

                /**
                 * β₂ ∈ [0, 1) (default 0.999)
                 * @member {number|null|undefined} b2
                 * @memberof fisherd.v1.OptimizerConfig.Adam
                 * @instance
                 */
                Adam.prototype.b2 = null;

                /**
                 * ε > 0 (default 1e-8)
                 * @member {number|null|undefined} eps
                 * @memberof fisherd.v1.OptimizerConfig.Adam
                 * @instance
                 */
                Adam.prototype.eps = null;

                // OneOf field names bound to virtual getters and setters
                let $oneOfFields;

                // Virtual OneOf for proto3 optional field
                $Object.defineProperty(Adam.prototype, "_b1", {
                    get: $util.oneOfGetter($oneOfFields = ["b1"]),
                    set: $util.oneOfSetter($oneOfFields)
                });

                // Virtual OneOf for proto3 optional field
                $Object.defineProperty(Adam.prototype, "_b2", {
                    get: $util.oneOfGetter($oneOfFields = ["b2"]),
                    set: $util.oneOfSetter($oneOfFields)
                });

                // Virtual OneOf for proto3 optional field
                $Object.defineProperty(Adam.prototype, "_eps", {
                    get: $util.oneOfGetter($oneOfFields = ["eps"]),
                    set: $util.oneOfSetter($oneOfFields)
                });

                /**
                 * Creates a new Adam instance using the specified properties.
                 * @function create
                 * @memberof fisherd.v1.OptimizerConfig.Adam
                 * @static
                 * @param {fisherd.v1.OptimizerConfig.Adam.$Properties=} [properties] Properties to set
                 * @returns {fisherd.v1.OptimizerConfig.Adam} Adam instance
                 * @type {{
                 *   (properties: fisherd.v1.OptimizerConfig.Adam.$Shape): fisherd.v1.OptimizerConfig.Adam & fisherd.v1.OptimizerConfig.Adam.$Shape;
                 *   (properties?: fisherd.v1.OptimizerConfig.Adam.$Properties): fisherd.v1.OptimizerConfig.Adam;
                 * }}
                 */
                Adam.create = function(properties) {
                    return new Adam(properties);
                };

                /**
                 * Encodes the specified Adam message. Does not implicitly {@link fisherd.v1.OptimizerConfig.Adam.verify|verify} messages.
                 * @function encode
                 * @memberof fisherd.v1.OptimizerConfig.Adam
                 * @static
                 * @param {fisherd.v1.OptimizerConfig.Adam.$Properties} message Adam message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Adam.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.b1 != null && $Object.hasOwnProperty.call(message, "b1"))
                        writer.uint32(/* id 1, wireType 1 =*/9).double(message.b1);
                    if (message.b2 != null && $Object.hasOwnProperty.call(message, "b2"))
                        writer.uint32(/* id 2, wireType 1 =*/17).double(message.b2);
                    if (message.eps != null && $Object.hasOwnProperty.call(message, "eps"))
                        writer.uint32(/* id 3, wireType 1 =*/25).double(message.eps);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes an Adam message from the specified reader or buffer.
                 * @function decode
                 * @memberof fisherd.v1.OptimizerConfig.Adam
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {fisherd.v1.OptimizerConfig.Adam & fisherd.v1.OptimizerConfig.Adam.$Shape} Adam
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Adam.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.fisherd.v1.OptimizerConfig.Adam();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 1)
                                    break;
                                message.b1 = reader.double();
                                message._b1 = "b1";
                                continue;
                            }
                        case 2: {
                                if (wireType !== 1)
                                    break;
                                message.b2 = reader.double();
                                message._b2 = "b2";
                                continue;
                            }
                        case 3: {
                                if (wireType !== 1)
                                    break;
                                message.eps = reader.double();
                                message._eps = "eps";
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                /**
                 * Verifies an Adam message.
                 * @function verify
                 * @memberof fisherd.v1.OptimizerConfig.Adam
                 * @static
                 * @param {Object.<string,*>} message Plain object to verify
                 * @returns {string|null} `null` if valid, otherwise the reason why it is not
                 */
                Adam.verify = function (message, _depth) {
                    if (typeof message !== "object" || message === null)
                        return "object expected";
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        return "max depth exceeded";
                    let properties = {};
                    if (message.b1 != null && $Object.hasOwnProperty.call(message, "b1")) {
                        properties._b1 = 1;
                        if (typeof message.b1 !== "number")
                            return "b1: number expected";
                    }
                    if (message.b2 != null && $Object.hasOwnProperty.call(message, "b2")) {
                        properties._b2 = 1;
                        if (typeof message.b2 !== "number")
                            return "b2: number expected";
                    }
                    if (message.eps != null && $Object.hasOwnProperty.call(message, "eps")) {
                        properties._eps = 1;
                        if (typeof message.eps !== "number")
                            return "eps: number expected";
                    }
                    return null;
                };

                /**
                 * Creates an Adam message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof fisherd.v1.OptimizerConfig.Adam
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {fisherd.v1.OptimizerConfig.Adam} Adam
                 */
                Adam.fromObject = function (object, _depth) {
                    if (object instanceof $root.fisherd.v1.OptimizerConfig.Adam)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".fisherd.v1.OptimizerConfig.Adam: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.fisherd.v1.OptimizerConfig.Adam();
                    if (object.b1 != null)
                        message.b1 = $Number(object.b1);
                    if (object.b2 != null)
                        message.b2 = $Number(object.b2);
                    if (object.eps != null)
                        message.eps = $Number(object.eps);
                    return message;
                };

                /**
                 * Creates a plain object from an Adam message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof fisherd.v1.OptimizerConfig.Adam
                 * @static
                 * @param {fisherd.v1.OptimizerConfig.Adam} message Adam
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                Adam.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (message.b1 != null && $Object.hasOwnProperty.call(message, "b1"))
                        object.b1 = options.json && !$isFinite(message.b1) ? $String(message.b1) : message.b1;
                    if (message.b2 != null && $Object.hasOwnProperty.call(message, "b2"))
                        object.b2 = options.json && !$isFinite(message.b2) ? $String(message.b2) : message.b2;
                    if (message.eps != null && $Object.hasOwnProperty.call(message, "eps"))
                        object.eps = options.json && !$isFinite(message.eps) ? $String(message.eps) : message.eps;
                    return object;
                };

                /**
                 * Converts this Adam to JSON.
                 * @function toJSON
                 * @memberof fisherd.v1.OptimizerConfig.Adam
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                Adam.prototype.toJSON = function() {
                    return Adam.toObject(this, $protobuf.util.toJSONOptions);
                };

                return Adam;
            })();

            return OptimizerConfig;
        })();

        v1.DampingAdaptation = (function() {

            /**
             * Properties of a DampingAdaptation.
             * @typedef {Object} fisherd.v1.DampingAdaptation.$Properties
             * @property {number|null} [every] T ≥ 1, the adaptation interval in steps.
             * @property {number|null} [initial] λ₀ ∈ [min, max] (default: the damping schedule's value at t = 0).
             * @property {number|null} [min] λ_min > 0.
             * @property {number|null} [max] λ_max ≥ λ_min, finite.
             * @property {number|null} [decayFactor] d ∈ (0, 1), per-step decay (default 0.9, kfac-jax's).
             * @property {boolean|null} [includeDampingInModel] Whether q includes ½λ‖Δ‖² (default true).
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a DampingAdaptation.
             * @memberof fisherd.v1
             * @interface IDampingAdaptation
             * @augments fisherd.v1.DampingAdaptation.$Properties
             * @deprecated Use fisherd.v1.DampingAdaptation.$Properties instead.
             */

            /**
             * Shape of a DampingAdaptation.
             * @typedef {fisherd.v1.DampingAdaptation.$Properties} fisherd.v1.DampingAdaptation.$Shape
             */

            /**
             * Constructs a new DampingAdaptation.
             * @memberof fisherd.v1
             * @classdesc Every `every` steps: ρ = (L(θ+Δ) − L(θ)) / q(Δ), q(Δ) = ḡᵀΔ + ½Δᵀ(M + λI)Δ; ρ > 3/4: λ ← ωλ, ρ < 1/4:
             * λ ← λ/ω, ω = decay_factor^every; λ clipped to [min, max] (Martens & Grosse 2015 §6.5, as kfac-jax).
             * @constructor
             * @param {fisherd.v1.DampingAdaptation.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const DampingAdaptation = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * T ≥ 1, the adaptation interval in steps.
             * @member {number} every
             * @memberof fisherd.v1.DampingAdaptation
             * @instance
             */
            DampingAdaptation.prototype.every = 0;

            /**
             * λ₀ ∈ [min, max] (default: the damping schedule's value at t = 0).
             * @member {number|null|undefined} initial
             * @memberof fisherd.v1.DampingAdaptation
             * @instance
             */
            DampingAdaptation.prototype.initial = null;

            /**
             * λ_min > 0.
             * @member {number} min
             * @memberof fisherd.v1.DampingAdaptation
             * @instance
             */
            DampingAdaptation.prototype.min = 0;

            /**
             * λ_max ≥ λ_min, finite.
             * @member {number} max
             * @memberof fisherd.v1.DampingAdaptation
             * @instance
             */
            DampingAdaptation.prototype.max = 0;

            /**
             * d ∈ (0, 1), per-step decay (default 0.9, kfac-jax's).
             * @member {number|null|undefined} decayFactor
             * @memberof fisherd.v1.DampingAdaptation
             * @instance
             */
            DampingAdaptation.prototype.decayFactor = null;

            /**
             * Whether q includes ½λ‖Δ‖² (default true).
             * @member {boolean|null|undefined} includeDampingInModel
             * @memberof fisherd.v1.DampingAdaptation
             * @instance
             */
            DampingAdaptation.prototype.includeDampingInModel = null;

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            // Virtual OneOf for proto3 optional field
            $Object.defineProperty(DampingAdaptation.prototype, "_initial", {
                get: $util.oneOfGetter($oneOfFields = ["initial"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            // Virtual OneOf for proto3 optional field
            $Object.defineProperty(DampingAdaptation.prototype, "_decayFactor", {
                get: $util.oneOfGetter($oneOfFields = ["decayFactor"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            // Virtual OneOf for proto3 optional field
            $Object.defineProperty(DampingAdaptation.prototype, "_includeDampingInModel", {
                get: $util.oneOfGetter($oneOfFields = ["includeDampingInModel"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new DampingAdaptation instance using the specified properties.
             * @function create
             * @memberof fisherd.v1.DampingAdaptation
             * @static
             * @param {fisherd.v1.DampingAdaptation.$Properties=} [properties] Properties to set
             * @returns {fisherd.v1.DampingAdaptation} DampingAdaptation instance
             * @type {{
             *   (properties: fisherd.v1.DampingAdaptation.$Shape): fisherd.v1.DampingAdaptation & fisherd.v1.DampingAdaptation.$Shape;
             *   (properties?: fisherd.v1.DampingAdaptation.$Properties): fisherd.v1.DampingAdaptation;
             * }}
             */
            DampingAdaptation.create = function(properties) {
                return new DampingAdaptation(properties);
            };

            /**
             * Encodes the specified DampingAdaptation message. Does not implicitly {@link fisherd.v1.DampingAdaptation.verify|verify} messages.
             * @function encode
             * @memberof fisherd.v1.DampingAdaptation
             * @static
             * @param {fisherd.v1.DampingAdaptation.$Properties} message DampingAdaptation message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            DampingAdaptation.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.every != null && $Object.hasOwnProperty.call(message, "every") && message.every !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.every);
                if (message.initial != null && $Object.hasOwnProperty.call(message, "initial"))
                    writer.uint32(/* id 2, wireType 1 =*/17).double(message.initial);
                if (message.min != null && $Object.hasOwnProperty.call(message, "min") && !$Object.is(message.min, 0))
                    writer.uint32(/* id 3, wireType 1 =*/25).double(message.min);
                if (message.max != null && $Object.hasOwnProperty.call(message, "max") && !$Object.is(message.max, 0))
                    writer.uint32(/* id 4, wireType 1 =*/33).double(message.max);
                if (message.decayFactor != null && $Object.hasOwnProperty.call(message, "decayFactor"))
                    writer.uint32(/* id 5, wireType 1 =*/41).double(message.decayFactor);
                if (message.includeDampingInModel != null && $Object.hasOwnProperty.call(message, "includeDampingInModel"))
                    writer.uint32(/* id 6, wireType 0 =*/48).bool(message.includeDampingInModel);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a DampingAdaptation message from the specified reader or buffer.
             * @function decode
             * @memberof fisherd.v1.DampingAdaptation
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fisherd.v1.DampingAdaptation & fisherd.v1.DampingAdaptation.$Shape} DampingAdaptation
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            DampingAdaptation.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fisherd.v1.DampingAdaptation();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.every = value;
                            else
                                delete message.every;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 1)
                                break;
                            message.initial = reader.double();
                            message._initial = "initial";
                            continue;
                        }
                    case 3: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.min = value;
                            else
                                delete message.min;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.max = value;
                            else
                                delete message.max;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 1)
                                break;
                            message.decayFactor = reader.double();
                            message._decayFactor = "decayFactor";
                            continue;
                        }
                    case 6: {
                            if (wireType !== 0)
                                break;
                            message.includeDampingInModel = reader.bool();
                            message._includeDampingInModel = "includeDampingInModel";
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a DampingAdaptation message.
             * @function verify
             * @memberof fisherd.v1.DampingAdaptation
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            DampingAdaptation.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                let properties = {};
                if (message.every != null && $Object.hasOwnProperty.call(message, "every"))
                    if (!$util.isInteger(message.every))
                        return "every: integer expected";
                if (message.initial != null && $Object.hasOwnProperty.call(message, "initial")) {
                    properties._initial = 1;
                    if (typeof message.initial !== "number")
                        return "initial: number expected";
                }
                if (message.min != null && $Object.hasOwnProperty.call(message, "min"))
                    if (typeof message.min !== "number")
                        return "min: number expected";
                if (message.max != null && $Object.hasOwnProperty.call(message, "max"))
                    if (typeof message.max !== "number")
                        return "max: number expected";
                if (message.decayFactor != null && $Object.hasOwnProperty.call(message, "decayFactor")) {
                    properties._decayFactor = 1;
                    if (typeof message.decayFactor !== "number")
                        return "decayFactor: number expected";
                }
                if (message.includeDampingInModel != null && $Object.hasOwnProperty.call(message, "includeDampingInModel")) {
                    properties._includeDampingInModel = 1;
                    if (typeof message.includeDampingInModel !== "boolean")
                        return "includeDampingInModel: boolean expected";
                }
                return null;
            };

            /**
             * Creates a DampingAdaptation message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fisherd.v1.DampingAdaptation
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fisherd.v1.DampingAdaptation} DampingAdaptation
             */
            DampingAdaptation.fromObject = function (object, _depth) {
                if (object instanceof $root.fisherd.v1.DampingAdaptation)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fisherd.v1.DampingAdaptation: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fisherd.v1.DampingAdaptation();
                if (object.every != null)
                    if ($Number(object.every) !== 0)
                        message.every = object.every >>> 0;
                if (object.initial != null)
                    message.initial = $Number(object.initial);
                if (object.min != null)
                    if (!$Object.is($Number(object.min), 0))
                        message.min = $Number(object.min);
                if (object.max != null)
                    if (!$Object.is($Number(object.max), 0))
                        message.max = $Number(object.max);
                if (object.decayFactor != null)
                    message.decayFactor = $Number(object.decayFactor);
                if (object.includeDampingInModel != null)
                    message.includeDampingInModel = $Boolean(object.includeDampingInModel);
                return message;
            };

            /**
             * Creates a plain object from a DampingAdaptation message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fisherd.v1.DampingAdaptation
             * @static
             * @param {fisherd.v1.DampingAdaptation} message DampingAdaptation
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            DampingAdaptation.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.every = 0;
                    object.min = 0;
                    object.max = 0;
                }
                if (message.every != null && $Object.hasOwnProperty.call(message, "every"))
                    object.every = message.every;
                if (message.initial != null && $Object.hasOwnProperty.call(message, "initial"))
                    object.initial = options.json && !$isFinite(message.initial) ? $String(message.initial) : message.initial;
                if (message.min != null && $Object.hasOwnProperty.call(message, "min"))
                    object.min = options.json && !$isFinite(message.min) ? $String(message.min) : message.min;
                if (message.max != null && $Object.hasOwnProperty.call(message, "max"))
                    object.max = options.json && !$isFinite(message.max) ? $String(message.max) : message.max;
                if (message.decayFactor != null && $Object.hasOwnProperty.call(message, "decayFactor"))
                    object.decayFactor = options.json && !$isFinite(message.decayFactor) ? $String(message.decayFactor) : message.decayFactor;
                if (message.includeDampingInModel != null && $Object.hasOwnProperty.call(message, "includeDampingInModel"))
                    object.includeDampingInModel = message.includeDampingInModel;
                return object;
            };

            /**
             * Converts this DampingAdaptation to JSON.
             * @function toJSON
             * @memberof fisherd.v1.DampingAdaptation
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            DampingAdaptation.prototype.toJSON = function() {
                return DampingAdaptation.toObject(this, $protobuf.util.toJSONOptions);
            };

            return DampingAdaptation;
        })();

        v1.Schedule = (function() {

            /**
             * Properties of a Schedule.
             * @typedef {Object} fisherd.v1.Schedule.$Properties
             * @property {number|null} [constant] value_t = constant.
             * @property {fisherd.v1.ExponentialSchedule.$Properties|null} [exponential] Schedule exponential
             * @property {fisherd.v1.CosineSchedule.$Properties|null} [cosine] Schedule cosine
             * @property {fisherd.v1.WarmupSchedule.$Properties|null} [warmup] Schedule warmup
             * @property {fisherd.v1.PiecewiseSchedule.$Properties|null} [piecewise] Schedule piecewise
             * @property {"constant"|"exponential"|"cosine"|"warmup"|"piecewise"} [kind] Schedule kind
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Schedule.
             * @memberof fisherd.v1
             * @interface ISchedule
             * @augments fisherd.v1.Schedule.$Properties
             * @deprecated Use fisherd.v1.Schedule.$Properties instead.
             */

            /**
             * Narrowed shape of a Schedule.
             * @typedef {{
             *   constant?: number|null;
             *   exponential?: fisherd.v1.ExponentialSchedule.$Shape|null;
             *   cosine?: fisherd.v1.CosineSchedule.$Shape|null;
             *   warmup?: fisherd.v1.WarmupSchedule.$Shape|null;
             *   piecewise?: fisherd.v1.PiecewiseSchedule.$Shape|null;
             *   $unknowns?: Array.<Uint8Array>;
             * } & (
             *   ({ kind?: undefined; constant?: null; exponential?: null; cosine?: null; warmup?: null; piecewise?: null }|{ kind?: "constant"; constant: number; exponential?: null; cosine?: null; warmup?: null; piecewise?: null }|{ kind?: "exponential"; constant?: null; exponential: fisherd.v1.ExponentialSchedule.$Shape; cosine?: null; warmup?: null; piecewise?: null }|{ kind?: "cosine"; constant?: null; exponential?: null; cosine: fisherd.v1.CosineSchedule.$Shape; warmup?: null; piecewise?: null }|{ kind?: "warmup"; constant?: null; exponential?: null; cosine?: null; warmup: fisherd.v1.WarmupSchedule.$Shape; piecewise?: null }|{ kind?: "piecewise"; constant?: null; exponential?: null; cosine?: null; warmup?: null; piecewise: fisherd.v1.PiecewiseSchedule.$Shape })
             * )} fisherd.v1.Schedule.$Shape
             */

            /**
             * Constructs a new Schedule.
             * @memberof fisherd.v1
             * @classdesc A scalar hyperparameter (step size γ_t, damping λ_t) as a function of the session's step index t;
             * mirrors src/optim/schedule.ts `ScheduleSpec` field by field (after optax's schedules).
             * @constructor
             * @param {fisherd.v1.Schedule.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Schedule = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * value_t = constant.
             * @member {number|null|undefined} constant
             * @memberof fisherd.v1.Schedule
             * @instance
             */
            Schedule.prototype.constant = null;

            /**
             * Schedule exponential.
             * @member {fisherd.v1.ExponentialSchedule.$Properties|null|undefined} exponential
             * @memberof fisherd.v1.Schedule
             * @instance
             */
            Schedule.prototype.exponential = null;

            /**
             * Schedule cosine.
             * @member {fisherd.v1.CosineSchedule.$Properties|null|undefined} cosine
             * @memberof fisherd.v1.Schedule
             * @instance
             */
            Schedule.prototype.cosine = null;

            /**
             * Schedule warmup.
             * @member {fisherd.v1.WarmupSchedule.$Properties|null|undefined} warmup
             * @memberof fisherd.v1.Schedule
             * @instance
             */
            Schedule.prototype.warmup = null;

            /**
             * Schedule piecewise.
             * @member {fisherd.v1.PiecewiseSchedule.$Properties|null|undefined} piecewise
             * @memberof fisherd.v1.Schedule
             * @instance
             */
            Schedule.prototype.piecewise = null;

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            /**
             * Schedule kind.
             * @member {"constant"|"exponential"|"cosine"|"warmup"|"piecewise"|undefined} kind
             * @memberof fisherd.v1.Schedule
             * @instance
             */
            $Object.defineProperty(Schedule.prototype, "kind", {
                get: $util.oneOfGetter($oneOfFields = ["constant", "exponential", "cosine", "warmup", "piecewise"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new Schedule instance using the specified properties.
             * @function create
             * @memberof fisherd.v1.Schedule
             * @static
             * @param {fisherd.v1.Schedule.$Properties=} [properties] Properties to set
             * @returns {fisherd.v1.Schedule} Schedule instance
             * @type {{
             *   (properties: fisherd.v1.Schedule.$Shape): fisherd.v1.Schedule & fisherd.v1.Schedule.$Shape;
             *   (properties?: fisherd.v1.Schedule.$Properties): fisherd.v1.Schedule;
             * }}
             */
            Schedule.create = function(properties) {
                return new Schedule(properties);
            };

            /**
             * Encodes the specified Schedule message. Does not implicitly {@link fisherd.v1.Schedule.verify|verify} messages.
             * @function encode
             * @memberof fisherd.v1.Schedule
             * @static
             * @param {fisherd.v1.Schedule.$Properties} message Schedule message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Schedule.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.constant != null && $Object.hasOwnProperty.call(message, "constant"))
                    writer.uint32(/* id 1, wireType 1 =*/9).double(message.constant);
                if (message.exponential != null && $Object.hasOwnProperty.call(message, "exponential"))
                    $root.fisherd.v1.ExponentialSchedule.encode(message.exponential, writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                if (message.cosine != null && $Object.hasOwnProperty.call(message, "cosine"))
                    $root.fisherd.v1.CosineSchedule.encode(message.cosine, writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                if (message.warmup != null && $Object.hasOwnProperty.call(message, "warmup"))
                    $root.fisherd.v1.WarmupSchedule.encode(message.warmup, writer.uint32(/* id 4, wireType 2 =*/34).fork(), _depth + 1).ldelim();
                if (message.piecewise != null && $Object.hasOwnProperty.call(message, "piecewise"))
                    $root.fisherd.v1.PiecewiseSchedule.encode(message.piecewise, writer.uint32(/* id 5, wireType 2 =*/42).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a Schedule message from the specified reader or buffer.
             * @function decode
             * @memberof fisherd.v1.Schedule
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fisherd.v1.Schedule & fisherd.v1.Schedule.$Shape} Schedule
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Schedule.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fisherd.v1.Schedule();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 1)
                                break;
                            message.constant = reader.double();
                            message.kind = "constant";
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            message.exponential = $root.fisherd.v1.ExponentialSchedule.decode(reader, reader.size(), $undefined, _depth + 1, message.exponential);
                            message.kind = "exponential";
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            message.cosine = $root.fisherd.v1.CosineSchedule.decode(reader, reader.size(), $undefined, _depth + 1, message.cosine);
                            message.kind = "cosine";
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            message.warmup = $root.fisherd.v1.WarmupSchedule.decode(reader, reader.size(), $undefined, _depth + 1, message.warmup);
                            message.kind = "warmup";
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            message.piecewise = $root.fisherd.v1.PiecewiseSchedule.decode(reader, reader.size(), $undefined, _depth + 1, message.piecewise);
                            message.kind = "piecewise";
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a Schedule message.
             * @function verify
             * @memberof fisherd.v1.Schedule
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            Schedule.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                let properties = {};
                if (message.constant != null && $Object.hasOwnProperty.call(message, "constant")) {
                    properties.kind = 1;
                    if (typeof message.constant !== "number")
                        return "constant: number expected";
                }
                if (message.exponential != null && $Object.hasOwnProperty.call(message, "exponential")) {
                    if (properties.kind === 1)
                        return "kind: multiple values";
                    properties.kind = 1;
                    {
                        let error = $root.fisherd.v1.ExponentialSchedule.verify(message.exponential, _depth + 1);
                        if (error)
                            return "exponential." + error;
                    }
                }
                if (message.cosine != null && $Object.hasOwnProperty.call(message, "cosine")) {
                    if (properties.kind === 1)
                        return "kind: multiple values";
                    properties.kind = 1;
                    {
                        let error = $root.fisherd.v1.CosineSchedule.verify(message.cosine, _depth + 1);
                        if (error)
                            return "cosine." + error;
                    }
                }
                if (message.warmup != null && $Object.hasOwnProperty.call(message, "warmup")) {
                    if (properties.kind === 1)
                        return "kind: multiple values";
                    properties.kind = 1;
                    {
                        let error = $root.fisherd.v1.WarmupSchedule.verify(message.warmup, _depth + 1);
                        if (error)
                            return "warmup." + error;
                    }
                }
                if (message.piecewise != null && $Object.hasOwnProperty.call(message, "piecewise")) {
                    if (properties.kind === 1)
                        return "kind: multiple values";
                    properties.kind = 1;
                    {
                        let error = $root.fisherd.v1.PiecewiseSchedule.verify(message.piecewise, _depth + 1);
                        if (error)
                            return "piecewise." + error;
                    }
                }
                return null;
            };

            /**
             * Creates a Schedule message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fisherd.v1.Schedule
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fisherd.v1.Schedule} Schedule
             */
            Schedule.fromObject = function (object, _depth) {
                if (object instanceof $root.fisherd.v1.Schedule)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fisherd.v1.Schedule: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fisherd.v1.Schedule();
                if (object.constant != null)
                    message.constant = $Number(object.constant);
                if (object.exponential != null) {
                    if (!$util.isObject(object.exponential))
                        throw $TypeError(".fisherd.v1.Schedule.exponential: object expected");
                    message.exponential = $root.fisherd.v1.ExponentialSchedule.fromObject(object.exponential, _depth + 1);
                }
                if (object.cosine != null) {
                    if (!$util.isObject(object.cosine))
                        throw $TypeError(".fisherd.v1.Schedule.cosine: object expected");
                    message.cosine = $root.fisherd.v1.CosineSchedule.fromObject(object.cosine, _depth + 1);
                }
                if (object.warmup != null) {
                    if (!$util.isObject(object.warmup))
                        throw $TypeError(".fisherd.v1.Schedule.warmup: object expected");
                    message.warmup = $root.fisherd.v1.WarmupSchedule.fromObject(object.warmup, _depth + 1);
                }
                if (object.piecewise != null) {
                    if (!$util.isObject(object.piecewise))
                        throw $TypeError(".fisherd.v1.Schedule.piecewise: object expected");
                    message.piecewise = $root.fisherd.v1.PiecewiseSchedule.fromObject(object.piecewise, _depth + 1);
                }
                return message;
            };

            /**
             * Creates a plain object from a Schedule message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fisherd.v1.Schedule
             * @static
             * @param {fisherd.v1.Schedule} message Schedule
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Schedule.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (message.constant != null && $Object.hasOwnProperty.call(message, "constant")) {
                    object.constant = options.json && !$isFinite(message.constant) ? $String(message.constant) : message.constant;
                    if (options.oneofs)
                        object.kind = "constant";
                }
                if (message.exponential != null && $Object.hasOwnProperty.call(message, "exponential")) {
                    object.exponential = $root.fisherd.v1.ExponentialSchedule.toObject(message.exponential, options, _depth + 1);
                    if (options.oneofs)
                        object.kind = "exponential";
                }
                if (message.cosine != null && $Object.hasOwnProperty.call(message, "cosine")) {
                    object.cosine = $root.fisherd.v1.CosineSchedule.toObject(message.cosine, options, _depth + 1);
                    if (options.oneofs)
                        object.kind = "cosine";
                }
                if (message.warmup != null && $Object.hasOwnProperty.call(message, "warmup")) {
                    object.warmup = $root.fisherd.v1.WarmupSchedule.toObject(message.warmup, options, _depth + 1);
                    if (options.oneofs)
                        object.kind = "warmup";
                }
                if (message.piecewise != null && $Object.hasOwnProperty.call(message, "piecewise")) {
                    object.piecewise = $root.fisherd.v1.PiecewiseSchedule.toObject(message.piecewise, options, _depth + 1);
                    if (options.oneofs)
                        object.kind = "piecewise";
                }
                return object;
            };

            /**
             * Converts this Schedule to JSON.
             * @function toJSON
             * @memberof fisherd.v1.Schedule
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Schedule.prototype.toJSON = function() {
                return Schedule.toObject(this, $protobuf.util.toJSONOptions);
            };

            return Schedule;
        })();

        v1.ExponentialSchedule = (function() {

            /**
             * Properties of an ExponentialSchedule.
             * @typedef {Object} fisherd.v1.ExponentialSchedule.$Properties
             * @property {number|null} [init] ExponentialSchedule init
             * @property {number|null} [decayRate] Factor per transition_steps steps (> 0; < 1 decays).
             * @property {number|null} [transitionSteps] >= 1.
             * @property {boolean|null} [staircase] Decay in discrete jumps (default false).
             * @property {number|null} [transitionBegin] First step of the decay (default 0).
             * @property {number|null} [endValue] Bound the value never passes (default none).
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an ExponentialSchedule.
             * @memberof fisherd.v1
             * @interface IExponentialSchedule
             * @augments fisherd.v1.ExponentialSchedule.$Properties
             * @deprecated Use fisherd.v1.ExponentialSchedule.$Properties instead.
             */

            /**
             * Shape of an ExponentialSchedule.
             * @typedef {fisherd.v1.ExponentialSchedule.$Properties} fisherd.v1.ExponentialSchedule.$Shape
             */

            /**
             * Constructs a new ExponentialSchedule.
             * @memberof fisherd.v1
             * @classdesc value_t = init · decay_rate^p, p = (t − transition_begin)/transition_steps (floored when staircase),
             * for t >= transition_begin; init before. Clipped at end_value when set.
             * @constructor
             * @param {fisherd.v1.ExponentialSchedule.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ExponentialSchedule = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * ExponentialSchedule init.
             * @member {number} init
             * @memberof fisherd.v1.ExponentialSchedule
             * @instance
             */
            ExponentialSchedule.prototype.init = 0;

            /**
             * Factor per transition_steps steps (> 0; < 1 decays).
             * @member {number} decayRate
             * @memberof fisherd.v1.ExponentialSchedule
             * @instance
             */
            ExponentialSchedule.prototype.decayRate = 0;

            /**
             * >= 1.
             * @member {number} transitionSteps
             * @memberof fisherd.v1.ExponentialSchedule
             * @instance
             */
            ExponentialSchedule.prototype.transitionSteps = 0;

            /**
             * Decay in discrete jumps (default false).
             * @member {boolean} staircase
             * @memberof fisherd.v1.ExponentialSchedule
             * @instance
             */
            ExponentialSchedule.prototype.staircase = false;

            /**
             * First step of the decay (default 0).
             * @member {number} transitionBegin
             * @memberof fisherd.v1.ExponentialSchedule
             * @instance
             */
            ExponentialSchedule.prototype.transitionBegin = 0;

            /**
             * Bound the value never passes (default none).
             * @member {number|null|undefined} endValue
             * @memberof fisherd.v1.ExponentialSchedule
             * @instance
             */
            ExponentialSchedule.prototype.endValue = null;

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            // Virtual OneOf for proto3 optional field
            $Object.defineProperty(ExponentialSchedule.prototype, "_endValue", {
                get: $util.oneOfGetter($oneOfFields = ["endValue"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new ExponentialSchedule instance using the specified properties.
             * @function create
             * @memberof fisherd.v1.ExponentialSchedule
             * @static
             * @param {fisherd.v1.ExponentialSchedule.$Properties=} [properties] Properties to set
             * @returns {fisherd.v1.ExponentialSchedule} ExponentialSchedule instance
             * @type {{
             *   (properties: fisherd.v1.ExponentialSchedule.$Shape): fisherd.v1.ExponentialSchedule & fisherd.v1.ExponentialSchedule.$Shape;
             *   (properties?: fisherd.v1.ExponentialSchedule.$Properties): fisherd.v1.ExponentialSchedule;
             * }}
             */
            ExponentialSchedule.create = function(properties) {
                return new ExponentialSchedule(properties);
            };

            /**
             * Encodes the specified ExponentialSchedule message. Does not implicitly {@link fisherd.v1.ExponentialSchedule.verify|verify} messages.
             * @function encode
             * @memberof fisherd.v1.ExponentialSchedule
             * @static
             * @param {fisherd.v1.ExponentialSchedule.$Properties} message ExponentialSchedule message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ExponentialSchedule.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.init != null && $Object.hasOwnProperty.call(message, "init") && !$Object.is(message.init, 0))
                    writer.uint32(/* id 1, wireType 1 =*/9).double(message.init);
                if (message.decayRate != null && $Object.hasOwnProperty.call(message, "decayRate") && !$Object.is(message.decayRate, 0))
                    writer.uint32(/* id 2, wireType 1 =*/17).double(message.decayRate);
                if (message.transitionSteps != null && $Object.hasOwnProperty.call(message, "transitionSteps") && message.transitionSteps !== 0)
                    writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.transitionSteps);
                if (message.staircase != null && $Object.hasOwnProperty.call(message, "staircase") && message.staircase !== false)
                    writer.uint32(/* id 4, wireType 0 =*/32).bool(message.staircase);
                if (message.transitionBegin != null && $Object.hasOwnProperty.call(message, "transitionBegin") && message.transitionBegin !== 0)
                    writer.uint32(/* id 5, wireType 0 =*/40).uint32(message.transitionBegin);
                if (message.endValue != null && $Object.hasOwnProperty.call(message, "endValue"))
                    writer.uint32(/* id 6, wireType 1 =*/49).double(message.endValue);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes an ExponentialSchedule message from the specified reader or buffer.
             * @function decode
             * @memberof fisherd.v1.ExponentialSchedule
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fisherd.v1.ExponentialSchedule & fisherd.v1.ExponentialSchedule.$Shape} ExponentialSchedule
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ExponentialSchedule.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fisherd.v1.ExponentialSchedule();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.init = value;
                            else
                                delete message.init;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.decayRate = value;
                            else
                                delete message.decayRate;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.transitionSteps = value;
                            else
                                delete message.transitionSteps;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.staircase = value;
                            else
                                delete message.staircase;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.transitionBegin = value;
                            else
                                delete message.transitionBegin;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 1)
                                break;
                            message.endValue = reader.double();
                            message._endValue = "endValue";
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies an ExponentialSchedule message.
             * @function verify
             * @memberof fisherd.v1.ExponentialSchedule
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            ExponentialSchedule.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                let properties = {};
                if (message.init != null && $Object.hasOwnProperty.call(message, "init"))
                    if (typeof message.init !== "number")
                        return "init: number expected";
                if (message.decayRate != null && $Object.hasOwnProperty.call(message, "decayRate"))
                    if (typeof message.decayRate !== "number")
                        return "decayRate: number expected";
                if (message.transitionSteps != null && $Object.hasOwnProperty.call(message, "transitionSteps"))
                    if (!$util.isInteger(message.transitionSteps))
                        return "transitionSteps: integer expected";
                if (message.staircase != null && $Object.hasOwnProperty.call(message, "staircase"))
                    if (typeof message.staircase !== "boolean")
                        return "staircase: boolean expected";
                if (message.transitionBegin != null && $Object.hasOwnProperty.call(message, "transitionBegin"))
                    if (!$util.isInteger(message.transitionBegin))
                        return "transitionBegin: integer expected";
                if (message.endValue != null && $Object.hasOwnProperty.call(message, "endValue")) {
                    properties._endValue = 1;
                    if (typeof message.endValue !== "number")
                        return "endValue: number expected";
                }
                return null;
            };

            /**
             * Creates an ExponentialSchedule message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fisherd.v1.ExponentialSchedule
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fisherd.v1.ExponentialSchedule} ExponentialSchedule
             */
            ExponentialSchedule.fromObject = function (object, _depth) {
                if (object instanceof $root.fisherd.v1.ExponentialSchedule)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fisherd.v1.ExponentialSchedule: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fisherd.v1.ExponentialSchedule();
                if (object.init != null)
                    if (!$Object.is($Number(object.init), 0))
                        message.init = $Number(object.init);
                if (object.decayRate != null)
                    if (!$Object.is($Number(object.decayRate), 0))
                        message.decayRate = $Number(object.decayRate);
                if (object.transitionSteps != null)
                    if ($Number(object.transitionSteps) !== 0)
                        message.transitionSteps = object.transitionSteps >>> 0;
                if (object.staircase != null)
                    if (object.staircase)
                        message.staircase = $Boolean(object.staircase);
                if (object.transitionBegin != null)
                    if ($Number(object.transitionBegin) !== 0)
                        message.transitionBegin = object.transitionBegin >>> 0;
                if (object.endValue != null)
                    message.endValue = $Number(object.endValue);
                return message;
            };

            /**
             * Creates a plain object from an ExponentialSchedule message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fisherd.v1.ExponentialSchedule
             * @static
             * @param {fisherd.v1.ExponentialSchedule} message ExponentialSchedule
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            ExponentialSchedule.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.init = 0;
                    object.decayRate = 0;
                    object.transitionSteps = 0;
                    object.staircase = false;
                    object.transitionBegin = 0;
                }
                if (message.init != null && $Object.hasOwnProperty.call(message, "init"))
                    object.init = options.json && !$isFinite(message.init) ? $String(message.init) : message.init;
                if (message.decayRate != null && $Object.hasOwnProperty.call(message, "decayRate"))
                    object.decayRate = options.json && !$isFinite(message.decayRate) ? $String(message.decayRate) : message.decayRate;
                if (message.transitionSteps != null && $Object.hasOwnProperty.call(message, "transitionSteps"))
                    object.transitionSteps = message.transitionSteps;
                if (message.staircase != null && $Object.hasOwnProperty.call(message, "staircase"))
                    object.staircase = message.staircase;
                if (message.transitionBegin != null && $Object.hasOwnProperty.call(message, "transitionBegin"))
                    object.transitionBegin = message.transitionBegin;
                if (message.endValue != null && $Object.hasOwnProperty.call(message, "endValue"))
                    object.endValue = options.json && !$isFinite(message.endValue) ? $String(message.endValue) : message.endValue;
                return object;
            };

            /**
             * Converts this ExponentialSchedule to JSON.
             * @function toJSON
             * @memberof fisherd.v1.ExponentialSchedule
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            ExponentialSchedule.prototype.toJSON = function() {
                return ExponentialSchedule.toObject(this, $protobuf.util.toJSONOptions);
            };

            return ExponentialSchedule;
        })();

        v1.CosineSchedule = (function() {

            /**
             * Properties of a CosineSchedule.
             * @typedef {Object} fisherd.v1.CosineSchedule.$Properties
             * @property {number|null} [init] CosineSchedule init
             * @property {number|null} [decaySteps] >= 1.
             * @property {number|null} [alpha] Final value as a fraction of init, in [0, 1] (default 0; must be > 0 for a step size).
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a CosineSchedule.
             * @memberof fisherd.v1
             * @interface ICosineSchedule
             * @augments fisherd.v1.CosineSchedule.$Properties
             * @deprecated Use fisherd.v1.CosineSchedule.$Properties instead.
             */

            /**
             * Shape of a CosineSchedule.
             * @typedef {fisherd.v1.CosineSchedule.$Properties} fisherd.v1.CosineSchedule.$Shape
             */

            /**
             * Constructs a new CosineSchedule.
             * @memberof fisherd.v1
             * @classdesc value_t = init · ((1 − alpha)·½(1 + cos(π·min(t, decay_steps)/decay_steps)) + alpha).
             * @constructor
             * @param {fisherd.v1.CosineSchedule.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const CosineSchedule = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * CosineSchedule init.
             * @member {number} init
             * @memberof fisherd.v1.CosineSchedule
             * @instance
             */
            CosineSchedule.prototype.init = 0;

            /**
             * >= 1.
             * @member {number} decaySteps
             * @memberof fisherd.v1.CosineSchedule
             * @instance
             */
            CosineSchedule.prototype.decaySteps = 0;

            /**
             * Final value as a fraction of init, in [0, 1] (default 0; must be > 0 for a step size).
             * @member {number|null|undefined} alpha
             * @memberof fisherd.v1.CosineSchedule
             * @instance
             */
            CosineSchedule.prototype.alpha = null;

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            // Virtual OneOf for proto3 optional field
            $Object.defineProperty(CosineSchedule.prototype, "_alpha", {
                get: $util.oneOfGetter($oneOfFields = ["alpha"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new CosineSchedule instance using the specified properties.
             * @function create
             * @memberof fisherd.v1.CosineSchedule
             * @static
             * @param {fisherd.v1.CosineSchedule.$Properties=} [properties] Properties to set
             * @returns {fisherd.v1.CosineSchedule} CosineSchedule instance
             * @type {{
             *   (properties: fisherd.v1.CosineSchedule.$Shape): fisherd.v1.CosineSchedule & fisherd.v1.CosineSchedule.$Shape;
             *   (properties?: fisherd.v1.CosineSchedule.$Properties): fisherd.v1.CosineSchedule;
             * }}
             */
            CosineSchedule.create = function(properties) {
                return new CosineSchedule(properties);
            };

            /**
             * Encodes the specified CosineSchedule message. Does not implicitly {@link fisherd.v1.CosineSchedule.verify|verify} messages.
             * @function encode
             * @memberof fisherd.v1.CosineSchedule
             * @static
             * @param {fisherd.v1.CosineSchedule.$Properties} message CosineSchedule message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            CosineSchedule.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.init != null && $Object.hasOwnProperty.call(message, "init") && !$Object.is(message.init, 0))
                    writer.uint32(/* id 1, wireType 1 =*/9).double(message.init);
                if (message.decaySteps != null && $Object.hasOwnProperty.call(message, "decaySteps") && message.decaySteps !== 0)
                    writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.decaySteps);
                if (message.alpha != null && $Object.hasOwnProperty.call(message, "alpha"))
                    writer.uint32(/* id 3, wireType 1 =*/25).double(message.alpha);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a CosineSchedule message from the specified reader or buffer.
             * @function decode
             * @memberof fisherd.v1.CosineSchedule
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fisherd.v1.CosineSchedule & fisherd.v1.CosineSchedule.$Shape} CosineSchedule
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            CosineSchedule.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fisherd.v1.CosineSchedule();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.init = value;
                            else
                                delete message.init;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.decaySteps = value;
                            else
                                delete message.decaySteps;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 1)
                                break;
                            message.alpha = reader.double();
                            message._alpha = "alpha";
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a CosineSchedule message.
             * @function verify
             * @memberof fisherd.v1.CosineSchedule
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            CosineSchedule.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                let properties = {};
                if (message.init != null && $Object.hasOwnProperty.call(message, "init"))
                    if (typeof message.init !== "number")
                        return "init: number expected";
                if (message.decaySteps != null && $Object.hasOwnProperty.call(message, "decaySteps"))
                    if (!$util.isInteger(message.decaySteps))
                        return "decaySteps: integer expected";
                if (message.alpha != null && $Object.hasOwnProperty.call(message, "alpha")) {
                    properties._alpha = 1;
                    if (typeof message.alpha !== "number")
                        return "alpha: number expected";
                }
                return null;
            };

            /**
             * Creates a CosineSchedule message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fisherd.v1.CosineSchedule
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fisherd.v1.CosineSchedule} CosineSchedule
             */
            CosineSchedule.fromObject = function (object, _depth) {
                if (object instanceof $root.fisherd.v1.CosineSchedule)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fisherd.v1.CosineSchedule: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fisherd.v1.CosineSchedule();
                if (object.init != null)
                    if (!$Object.is($Number(object.init), 0))
                        message.init = $Number(object.init);
                if (object.decaySteps != null)
                    if ($Number(object.decaySteps) !== 0)
                        message.decaySteps = object.decaySteps >>> 0;
                if (object.alpha != null)
                    message.alpha = $Number(object.alpha);
                return message;
            };

            /**
             * Creates a plain object from a CosineSchedule message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fisherd.v1.CosineSchedule
             * @static
             * @param {fisherd.v1.CosineSchedule} message CosineSchedule
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            CosineSchedule.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.init = 0;
                    object.decaySteps = 0;
                }
                if (message.init != null && $Object.hasOwnProperty.call(message, "init"))
                    object.init = options.json && !$isFinite(message.init) ? $String(message.init) : message.init;
                if (message.decaySteps != null && $Object.hasOwnProperty.call(message, "decaySteps"))
                    object.decaySteps = message.decaySteps;
                if (message.alpha != null && $Object.hasOwnProperty.call(message, "alpha"))
                    object.alpha = options.json && !$isFinite(message.alpha) ? $String(message.alpha) : message.alpha;
                return object;
            };

            /**
             * Converts this CosineSchedule to JSON.
             * @function toJSON
             * @memberof fisherd.v1.CosineSchedule
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            CosineSchedule.prototype.toJSON = function() {
                return CosineSchedule.toObject(this, $protobuf.util.toJSONOptions);
            };

            return CosineSchedule;
        })();

        v1.WarmupSchedule = (function() {

            /**
             * Properties of a WarmupSchedule.
             * @typedef {Object} fisherd.v1.WarmupSchedule.$Properties
             * @property {number|null} [from] Value at t = 0 (default 0; must be > 0 for a step size).
             * @property {number|null} [steps] >= 1.
             * @property {fisherd.v1.Schedule.$Properties|null} [then] WarmupSchedule then
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a WarmupSchedule.
             * @memberof fisherd.v1
             * @interface IWarmupSchedule
             * @augments fisherd.v1.WarmupSchedule.$Properties
             * @deprecated Use fisherd.v1.WarmupSchedule.$Properties instead.
             */

            /**
             * Shape of a WarmupSchedule.
             * @typedef {{
             *   from?: number|null;
             *   steps?: number|null;
             *   then?: fisherd.v1.Schedule.$Shape|null;
             *   $unknowns?: Array.<Uint8Array>;
             * }} fisherd.v1.WarmupSchedule.$Shape
             */

            /**
             * Constructs a new WarmupSchedule.
             * @memberof fisherd.v1
             * @classdesc Linear warm-up from `from` to then(0) over `steps` steps, then `then` shifted by `steps`.
             * @constructor
             * @param {fisherd.v1.WarmupSchedule.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const WarmupSchedule = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Value at t = 0 (default 0; must be > 0 for a step size).
             * @member {number|null|undefined} from
             * @memberof fisherd.v1.WarmupSchedule
             * @instance
             */
            WarmupSchedule.prototype.from = null;

            /**
             * >= 1.
             * @member {number} steps
             * @memberof fisherd.v1.WarmupSchedule
             * @instance
             */
            WarmupSchedule.prototype.steps = 0;

            /**
             * WarmupSchedule then.
             * @member {fisherd.v1.Schedule.$Properties|null|undefined} then
             * @memberof fisherd.v1.WarmupSchedule
             * @instance
             */
            WarmupSchedule.prototype.then = null;

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            // Virtual OneOf for proto3 optional field
            $Object.defineProperty(WarmupSchedule.prototype, "_from", {
                get: $util.oneOfGetter($oneOfFields = ["from"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new WarmupSchedule instance using the specified properties.
             * @function create
             * @memberof fisherd.v1.WarmupSchedule
             * @static
             * @param {fisherd.v1.WarmupSchedule.$Properties=} [properties] Properties to set
             * @returns {fisherd.v1.WarmupSchedule} WarmupSchedule instance
             * @type {{
             *   (properties: fisherd.v1.WarmupSchedule.$Shape): fisherd.v1.WarmupSchedule & fisherd.v1.WarmupSchedule.$Shape;
             *   (properties?: fisherd.v1.WarmupSchedule.$Properties): fisherd.v1.WarmupSchedule;
             * }}
             */
            WarmupSchedule.create = function(properties) {
                return new WarmupSchedule(properties);
            };

            /**
             * Encodes the specified WarmupSchedule message. Does not implicitly {@link fisherd.v1.WarmupSchedule.verify|verify} messages.
             * @function encode
             * @memberof fisherd.v1.WarmupSchedule
             * @static
             * @param {fisherd.v1.WarmupSchedule.$Properties} message WarmupSchedule message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            WarmupSchedule.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.from != null && $Object.hasOwnProperty.call(message, "from"))
                    writer.uint32(/* id 1, wireType 1 =*/9).double(message.from);
                if (message.steps != null && $Object.hasOwnProperty.call(message, "steps") && message.steps !== 0)
                    writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.steps);
                if (message.then != null && $Object.hasOwnProperty.call(message, "then"))
                    $root.fisherd.v1.Schedule.encode(message.then, writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a WarmupSchedule message from the specified reader or buffer.
             * @function decode
             * @memberof fisherd.v1.WarmupSchedule
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fisherd.v1.WarmupSchedule & fisherd.v1.WarmupSchedule.$Shape} WarmupSchedule
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            WarmupSchedule.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fisherd.v1.WarmupSchedule();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 1)
                                break;
                            message.from = reader.double();
                            message._from = "from";
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.steps = value;
                            else
                                delete message.steps;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            message.then = $root.fisherd.v1.Schedule.decode(reader, reader.size(), $undefined, _depth + 1, message.then);
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a WarmupSchedule message.
             * @function verify
             * @memberof fisherd.v1.WarmupSchedule
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            WarmupSchedule.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                let properties = {};
                if (message.from != null && $Object.hasOwnProperty.call(message, "from")) {
                    properties._from = 1;
                    if (typeof message.from !== "number")
                        return "from: number expected";
                }
                if (message.steps != null && $Object.hasOwnProperty.call(message, "steps"))
                    if (!$util.isInteger(message.steps))
                        return "steps: integer expected";
                if (message.then != null && $Object.hasOwnProperty.call(message, "then")) {
                    let error = $root.fisherd.v1.Schedule.verify(message.then, _depth + 1);
                    if (error)
                        return "then." + error;
                }
                return null;
            };

            /**
             * Creates a WarmupSchedule message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fisherd.v1.WarmupSchedule
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fisherd.v1.WarmupSchedule} WarmupSchedule
             */
            WarmupSchedule.fromObject = function (object, _depth) {
                if (object instanceof $root.fisherd.v1.WarmupSchedule)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fisherd.v1.WarmupSchedule: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fisherd.v1.WarmupSchedule();
                if (object.from != null)
                    message.from = $Number(object.from);
                if (object.steps != null)
                    if ($Number(object.steps) !== 0)
                        message.steps = object.steps >>> 0;
                if (object.then != null) {
                    if (!$util.isObject(object.then))
                        throw $TypeError(".fisherd.v1.WarmupSchedule.then: object expected");
                    message.then = $root.fisherd.v1.Schedule.fromObject(object.then, _depth + 1);
                }
                return message;
            };

            /**
             * Creates a plain object from a WarmupSchedule message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fisherd.v1.WarmupSchedule
             * @static
             * @param {fisherd.v1.WarmupSchedule} message WarmupSchedule
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            WarmupSchedule.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.steps = 0;
                    object.then = null;
                }
                if (message.from != null && $Object.hasOwnProperty.call(message, "from"))
                    object.from = options.json && !$isFinite(message.from) ? $String(message.from) : message.from;
                if (message.steps != null && $Object.hasOwnProperty.call(message, "steps"))
                    object.steps = message.steps;
                if (message.then != null && $Object.hasOwnProperty.call(message, "then"))
                    object.then = $root.fisherd.v1.Schedule.toObject(message.then, options, _depth + 1);
                return object;
            };

            /**
             * Converts this WarmupSchedule to JSON.
             * @function toJSON
             * @memberof fisherd.v1.WarmupSchedule
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            WarmupSchedule.prototype.toJSON = function() {
                return WarmupSchedule.toObject(this, $protobuf.util.toJSONOptions);
            };

            return WarmupSchedule;
        })();

        v1.PiecewiseSchedule = (function() {

            /**
             * Properties of a PiecewiseSchedule.
             * @typedef {Object} fisherd.v1.PiecewiseSchedule.$Properties
             * @property {number|null} [init] PiecewiseSchedule init
             * @property {Array.<fisherd.v1.PiecewiseSchedule.Boundary.$Properties>|null} [boundaries] Strictly increasing steps.
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a PiecewiseSchedule.
             * @memberof fisherd.v1
             * @interface IPiecewiseSchedule
             * @augments fisherd.v1.PiecewiseSchedule.$Properties
             * @deprecated Use fisherd.v1.PiecewiseSchedule.$Properties instead.
             */

            /**
             * Shape of a PiecewiseSchedule.
             * @typedef {fisherd.v1.PiecewiseSchedule.$Properties} fisherd.v1.PiecewiseSchedule.$Shape
             */

            /**
             * Constructs a new PiecewiseSchedule.
             * @memberof fisherd.v1
             * @classdesc value_t = init · Π { scale_k : boundary_k.step <= t }.
             * @constructor
             * @param {fisherd.v1.PiecewiseSchedule.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const PiecewiseSchedule = function (properties) {
                this.boundaries = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * PiecewiseSchedule init.
             * @member {number} init
             * @memberof fisherd.v1.PiecewiseSchedule
             * @instance
             */
            PiecewiseSchedule.prototype.init = 0;

            /**
             * Strictly increasing steps.
             * @member {Array.<fisherd.v1.PiecewiseSchedule.Boundary.$Properties>} boundaries
             * @memberof fisherd.v1.PiecewiseSchedule
             * @instance
             */
            PiecewiseSchedule.prototype.boundaries = $util.emptyArray;

            /**
             * Creates a new PiecewiseSchedule instance using the specified properties.
             * @function create
             * @memberof fisherd.v1.PiecewiseSchedule
             * @static
             * @param {fisherd.v1.PiecewiseSchedule.$Properties=} [properties] Properties to set
             * @returns {fisherd.v1.PiecewiseSchedule} PiecewiseSchedule instance
             * @type {{
             *   (properties: fisherd.v1.PiecewiseSchedule.$Shape): fisherd.v1.PiecewiseSchedule & fisherd.v1.PiecewiseSchedule.$Shape;
             *   (properties?: fisherd.v1.PiecewiseSchedule.$Properties): fisherd.v1.PiecewiseSchedule;
             * }}
             */
            PiecewiseSchedule.create = function(properties) {
                return new PiecewiseSchedule(properties);
            };

            /**
             * Encodes the specified PiecewiseSchedule message. Does not implicitly {@link fisherd.v1.PiecewiseSchedule.verify|verify} messages.
             * @function encode
             * @memberof fisherd.v1.PiecewiseSchedule
             * @static
             * @param {fisherd.v1.PiecewiseSchedule.$Properties} message PiecewiseSchedule message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            PiecewiseSchedule.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.init != null && $Object.hasOwnProperty.call(message, "init") && !$Object.is(message.init, 0))
                    writer.uint32(/* id 1, wireType 1 =*/9).double(message.init);
                if (message.boundaries != null && message.boundaries.length)
                    for (let i = 0; i < message.boundaries.length; ++i)
                        $root.fisherd.v1.PiecewiseSchedule.Boundary.encode(message.boundaries[i], writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a PiecewiseSchedule message from the specified reader or buffer.
             * @function decode
             * @memberof fisherd.v1.PiecewiseSchedule
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fisherd.v1.PiecewiseSchedule & fisherd.v1.PiecewiseSchedule.$Shape} PiecewiseSchedule
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            PiecewiseSchedule.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fisherd.v1.PiecewiseSchedule();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.init = value;
                            else
                                delete message.init;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if (!(message.boundaries && message.boundaries.length))
                                message.boundaries = [];
                            message.boundaries.push($root.fisherd.v1.PiecewiseSchedule.Boundary.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a PiecewiseSchedule message.
             * @function verify
             * @memberof fisherd.v1.PiecewiseSchedule
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            PiecewiseSchedule.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.init != null && $Object.hasOwnProperty.call(message, "init"))
                    if (typeof message.init !== "number")
                        return "init: number expected";
                if (message.boundaries != null && $Object.hasOwnProperty.call(message, "boundaries")) {
                    if (!$Array.isArray(message.boundaries))
                        return "boundaries: array expected";
                    for (let i = 0; i < message.boundaries.length; ++i) {
                        let error = $root.fisherd.v1.PiecewiseSchedule.Boundary.verify(message.boundaries[i], _depth + 1);
                        if (error)
                            return "boundaries." + error;
                    }
                }
                return null;
            };

            /**
             * Creates a PiecewiseSchedule message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fisherd.v1.PiecewiseSchedule
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fisherd.v1.PiecewiseSchedule} PiecewiseSchedule
             */
            PiecewiseSchedule.fromObject = function (object, _depth) {
                if (object instanceof $root.fisherd.v1.PiecewiseSchedule)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fisherd.v1.PiecewiseSchedule: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fisherd.v1.PiecewiseSchedule();
                if (object.init != null)
                    if (!$Object.is($Number(object.init), 0))
                        message.init = $Number(object.init);
                if (object.boundaries) {
                    if (!$Array.isArray(object.boundaries))
                        throw $TypeError(".fisherd.v1.PiecewiseSchedule.boundaries: array expected");
                    message.boundaries = $Array(object.boundaries.length);
                    for (let i = 0; i < object.boundaries.length; ++i) {
                        if (!$util.isObject(object.boundaries[i]))
                            throw $TypeError(".fisherd.v1.PiecewiseSchedule.boundaries: object expected");
                        message.boundaries[i] = $root.fisherd.v1.PiecewiseSchedule.Boundary.fromObject(object.boundaries[i], _depth + 1);
                    }
                }
                return message;
            };

            /**
             * Creates a plain object from a PiecewiseSchedule message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fisherd.v1.PiecewiseSchedule
             * @static
             * @param {fisherd.v1.PiecewiseSchedule} message PiecewiseSchedule
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            PiecewiseSchedule.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.arrays || options.defaults)
                    object.boundaries = [];
                if (options.defaults)
                    object.init = 0;
                if (message.init != null && $Object.hasOwnProperty.call(message, "init"))
                    object.init = options.json && !$isFinite(message.init) ? $String(message.init) : message.init;
                if (message.boundaries && message.boundaries.length) {
                    object.boundaries = $Array(message.boundaries.length);
                    for (let j = 0; j < message.boundaries.length; ++j)
                        object.boundaries[j] = $root.fisherd.v1.PiecewiseSchedule.Boundary.toObject(message.boundaries[j], options, _depth + 1);
                }
                return object;
            };

            /**
             * Converts this PiecewiseSchedule to JSON.
             * @function toJSON
             * @memberof fisherd.v1.PiecewiseSchedule
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            PiecewiseSchedule.prototype.toJSON = function() {
                return PiecewiseSchedule.toObject(this, $protobuf.util.toJSONOptions);
            };

            PiecewiseSchedule.Boundary = (function() {

                /**
                 * Properties of a Boundary.
                 * @typedef {Object} fisherd.v1.PiecewiseSchedule.Boundary.$Properties
                 * @property {number|null} [step] Boundary step
                 * @property {number|null} [scale] Boundary scale
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Boundary.
                 * @memberof fisherd.v1.PiecewiseSchedule
                 * @interface IBoundary
                 * @augments fisherd.v1.PiecewiseSchedule.Boundary.$Properties
                 * @deprecated Use fisherd.v1.PiecewiseSchedule.Boundary.$Properties instead.
                 */

                /**
                 * Shape of a Boundary.
                 * @typedef {fisherd.v1.PiecewiseSchedule.Boundary.$Properties} fisherd.v1.PiecewiseSchedule.Boundary.$Shape
                 */

                /**
                 * Constructs a new Boundary.
                 * @memberof fisherd.v1.PiecewiseSchedule
                 * @classdesc Represents a Boundary.
                 * @constructor
                 * @param {fisherd.v1.PiecewiseSchedule.Boundary.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Boundary = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * Boundary step.
                 * @member {number} step
                 * @memberof fisherd.v1.PiecewiseSchedule.Boundary
                 * @instance
                 */
                Boundary.prototype.step = 0;

                /**
                 * Boundary scale.
                 * @member {number} scale
                 * @memberof fisherd.v1.PiecewiseSchedule.Boundary
                 * @instance
                 */
                Boundary.prototype.scale = 0;

                /**
                 * Creates a new Boundary instance using the specified properties.
                 * @function create
                 * @memberof fisherd.v1.PiecewiseSchedule.Boundary
                 * @static
                 * @param {fisherd.v1.PiecewiseSchedule.Boundary.$Properties=} [properties] Properties to set
                 * @returns {fisherd.v1.PiecewiseSchedule.Boundary} Boundary instance
                 * @type {{
                 *   (properties: fisherd.v1.PiecewiseSchedule.Boundary.$Shape): fisherd.v1.PiecewiseSchedule.Boundary & fisherd.v1.PiecewiseSchedule.Boundary.$Shape;
                 *   (properties?: fisherd.v1.PiecewiseSchedule.Boundary.$Properties): fisherd.v1.PiecewiseSchedule.Boundary;
                 * }}
                 */
                Boundary.create = function(properties) {
                    return new Boundary(properties);
                };

                /**
                 * Encodes the specified Boundary message. Does not implicitly {@link fisherd.v1.PiecewiseSchedule.Boundary.verify|verify} messages.
                 * @function encode
                 * @memberof fisherd.v1.PiecewiseSchedule.Boundary
                 * @static
                 * @param {fisherd.v1.PiecewiseSchedule.Boundary.$Properties} message Boundary message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Boundary.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.step != null && $Object.hasOwnProperty.call(message, "step") && message.step !== 0)
                        writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.step);
                    if (message.scale != null && $Object.hasOwnProperty.call(message, "scale") && !$Object.is(message.scale, 0))
                        writer.uint32(/* id 2, wireType 1 =*/17).double(message.scale);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a Boundary message from the specified reader or buffer.
                 * @function decode
                 * @memberof fisherd.v1.PiecewiseSchedule.Boundary
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {fisherd.v1.PiecewiseSchedule.Boundary & fisherd.v1.PiecewiseSchedule.Boundary.$Shape} Boundary
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Boundary.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.fisherd.v1.PiecewiseSchedule.Boundary();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.step = value;
                                else
                                    delete message.step;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 1)
                                    break;
                                if (!$Object.is(value = reader.double(), 0))
                                    message.scale = value;
                                else
                                    delete message.scale;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                /**
                 * Verifies a Boundary message.
                 * @function verify
                 * @memberof fisherd.v1.PiecewiseSchedule.Boundary
                 * @static
                 * @param {Object.<string,*>} message Plain object to verify
                 * @returns {string|null} `null` if valid, otherwise the reason why it is not
                 */
                Boundary.verify = function (message, _depth) {
                    if (typeof message !== "object" || message === null)
                        return "object expected";
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        return "max depth exceeded";
                    if (message.step != null && $Object.hasOwnProperty.call(message, "step"))
                        if (!$util.isInteger(message.step))
                            return "step: integer expected";
                    if (message.scale != null && $Object.hasOwnProperty.call(message, "scale"))
                        if (typeof message.scale !== "number")
                            return "scale: number expected";
                    return null;
                };

                /**
                 * Creates a Boundary message from a plain object. Also converts values to their respective internal types.
                 * @function fromObject
                 * @memberof fisherd.v1.PiecewiseSchedule.Boundary
                 * @static
                 * @param {Object.<string,*>} object Plain object
                 * @returns {fisherd.v1.PiecewiseSchedule.Boundary} Boundary
                 */
                Boundary.fromObject = function (object, _depth) {
                    if (object instanceof $root.fisherd.v1.PiecewiseSchedule.Boundary)
                        return object;
                    if (!$util.isObject(object))
                        throw $TypeError(".fisherd.v1.PiecewiseSchedule.Boundary: object expected");
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let message = new $root.fisherd.v1.PiecewiseSchedule.Boundary();
                    if (object.step != null)
                        if ($Number(object.step) !== 0)
                            message.step = object.step >>> 0;
                    if (object.scale != null)
                        if (!$Object.is($Number(object.scale), 0))
                            message.scale = $Number(object.scale);
                    return message;
                };

                /**
                 * Creates a plain object from a Boundary message. Also converts values to other types if specified.
                 * @function toObject
                 * @memberof fisherd.v1.PiecewiseSchedule.Boundary
                 * @static
                 * @param {fisherd.v1.PiecewiseSchedule.Boundary} message Boundary
                 * @param {$protobuf.IConversionOptions} [options] Conversion options
                 * @returns {Object.<string,*>} Plain object
                 */
                Boundary.toObject = function (message, options, _depth) {
                    if (!options)
                        options = {};
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    let object = {};
                    if (options.defaults) {
                        object.step = 0;
                        object.scale = 0;
                    }
                    if (message.step != null && $Object.hasOwnProperty.call(message, "step"))
                        object.step = message.step;
                    if (message.scale != null && $Object.hasOwnProperty.call(message, "scale"))
                        object.scale = options.json && !$isFinite(message.scale) ? $String(message.scale) : message.scale;
                    return object;
                };

                /**
                 * Converts this Boundary to JSON.
                 * @function toJSON
                 * @memberof fisherd.v1.PiecewiseSchedule.Boundary
                 * @instance
                 * @returns {Object.<string,*>} JSON object
                 */
                Boundary.prototype.toJSON = function() {
                    return Boundary.toObject(this, $protobuf.util.toJSONOptions);
                };

                return Boundary;
            })();

            return PiecewiseSchedule;
        })();

        v1.TrackedEstimates = (function() {

            /**
             * Properties of a TrackedEstimates.
             * @typedef {Object} fisherd.v1.TrackedEstimates.$Properties
             * @property {boolean|null} [empiricalFisher] TrackedEstimates empiricalFisher
             * @property {boolean|null} [fisher] TrackedEstimates fisher
             * @property {boolean|null} [noise] TrackedEstimates noise
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a TrackedEstimates.
             * @memberof fisherd.v1
             * @interface ITrackedEstimates
             * @augments fisherd.v1.TrackedEstimates.$Properties
             * @deprecated Use fisherd.v1.TrackedEstimates.$Properties instead.
             */

            /**
             * Shape of a TrackedEstimates.
             * @typedef {fisherd.v1.TrackedEstimates.$Properties} fisherd.v1.TrackedEstimates.$Shape
             */

            /**
             * Constructs a new TrackedEstimates.
             * @memberof fisherd.v1
             * @classdesc Represents a TrackedEstimates.
             * @constructor
             * @param {fisherd.v1.TrackedEstimates.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const TrackedEstimates = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * TrackedEstimates empiricalFisher.
             * @member {boolean} empiricalFisher
             * @memberof fisherd.v1.TrackedEstimates
             * @instance
             */
            TrackedEstimates.prototype.empiricalFisher = false;

            /**
             * TrackedEstimates fisher.
             * @member {boolean} fisher
             * @memberof fisherd.v1.TrackedEstimates
             * @instance
             */
            TrackedEstimates.prototype.fisher = false;

            /**
             * TrackedEstimates noise.
             * @member {boolean} noise
             * @memberof fisherd.v1.TrackedEstimates
             * @instance
             */
            TrackedEstimates.prototype.noise = false;

            /**
             * Creates a new TrackedEstimates instance using the specified properties.
             * @function create
             * @memberof fisherd.v1.TrackedEstimates
             * @static
             * @param {fisherd.v1.TrackedEstimates.$Properties=} [properties] Properties to set
             * @returns {fisherd.v1.TrackedEstimates} TrackedEstimates instance
             * @type {{
             *   (properties: fisherd.v1.TrackedEstimates.$Shape): fisherd.v1.TrackedEstimates & fisherd.v1.TrackedEstimates.$Shape;
             *   (properties?: fisherd.v1.TrackedEstimates.$Properties): fisherd.v1.TrackedEstimates;
             * }}
             */
            TrackedEstimates.create = function(properties) {
                return new TrackedEstimates(properties);
            };

            /**
             * Encodes the specified TrackedEstimates message. Does not implicitly {@link fisherd.v1.TrackedEstimates.verify|verify} messages.
             * @function encode
             * @memberof fisherd.v1.TrackedEstimates
             * @static
             * @param {fisherd.v1.TrackedEstimates.$Properties} message TrackedEstimates message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            TrackedEstimates.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.empiricalFisher != null && $Object.hasOwnProperty.call(message, "empiricalFisher") && message.empiricalFisher !== false)
                    writer.uint32(/* id 1, wireType 0 =*/8).bool(message.empiricalFisher);
                if (message.fisher != null && $Object.hasOwnProperty.call(message, "fisher") && message.fisher !== false)
                    writer.uint32(/* id 2, wireType 0 =*/16).bool(message.fisher);
                if (message.noise != null && $Object.hasOwnProperty.call(message, "noise") && message.noise !== false)
                    writer.uint32(/* id 3, wireType 0 =*/24).bool(message.noise);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a TrackedEstimates message from the specified reader or buffer.
             * @function decode
             * @memberof fisherd.v1.TrackedEstimates
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fisherd.v1.TrackedEstimates & fisherd.v1.TrackedEstimates.$Shape} TrackedEstimates
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            TrackedEstimates.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fisherd.v1.TrackedEstimates();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.empiricalFisher = value;
                            else
                                delete message.empiricalFisher;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.fisher = value;
                            else
                                delete message.fisher;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.noise = value;
                            else
                                delete message.noise;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a TrackedEstimates message.
             * @function verify
             * @memberof fisherd.v1.TrackedEstimates
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            TrackedEstimates.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.empiricalFisher != null && $Object.hasOwnProperty.call(message, "empiricalFisher"))
                    if (typeof message.empiricalFisher !== "boolean")
                        return "empiricalFisher: boolean expected";
                if (message.fisher != null && $Object.hasOwnProperty.call(message, "fisher"))
                    if (typeof message.fisher !== "boolean")
                        return "fisher: boolean expected";
                if (message.noise != null && $Object.hasOwnProperty.call(message, "noise"))
                    if (typeof message.noise !== "boolean")
                        return "noise: boolean expected";
                return null;
            };

            /**
             * Creates a TrackedEstimates message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fisherd.v1.TrackedEstimates
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fisherd.v1.TrackedEstimates} TrackedEstimates
             */
            TrackedEstimates.fromObject = function (object, _depth) {
                if (object instanceof $root.fisherd.v1.TrackedEstimates)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fisherd.v1.TrackedEstimates: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fisherd.v1.TrackedEstimates();
                if (object.empiricalFisher != null)
                    if (object.empiricalFisher)
                        message.empiricalFisher = $Boolean(object.empiricalFisher);
                if (object.fisher != null)
                    if (object.fisher)
                        message.fisher = $Boolean(object.fisher);
                if (object.noise != null)
                    if (object.noise)
                        message.noise = $Boolean(object.noise);
                return message;
            };

            /**
             * Creates a plain object from a TrackedEstimates message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fisherd.v1.TrackedEstimates
             * @static
             * @param {fisherd.v1.TrackedEstimates} message TrackedEstimates
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            TrackedEstimates.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.empiricalFisher = false;
                    object.fisher = false;
                    object.noise = false;
                }
                if (message.empiricalFisher != null && $Object.hasOwnProperty.call(message, "empiricalFisher"))
                    object.empiricalFisher = message.empiricalFisher;
                if (message.fisher != null && $Object.hasOwnProperty.call(message, "fisher"))
                    object.fisher = message.fisher;
                if (message.noise != null && $Object.hasOwnProperty.call(message, "noise"))
                    object.noise = message.noise;
                return object;
            };

            /**
             * Converts this TrackedEstimates to JSON.
             * @function toJSON
             * @memberof fisherd.v1.TrackedEstimates
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            TrackedEstimates.prototype.toJSON = function() {
                return TrackedEstimates.toObject(this, $protobuf.util.toJSONOptions);
            };

            return TrackedEstimates;
        })();

        v1.ServerMessage = (function() {

            /**
             * Properties of a ServerMessage.
             * @typedef {Object} fisherd.v1.ServerMessage.$Properties
             * @property {number|null} [requestId] The request_id of the ClientMessage this answers (0 for unsolicited messages such as a
             * WORKER_TIMEOUT caused by another worker).
             * @property {fisherd.v1.Welcome.$Properties|null} [welcome] ServerMessage welcome
             * @property {fisherd.v1.SessionOpened.$Properties|null} [sessionOpened] ServerMessage sessionOpened
             * @property {fisherd.v1.Update.$Properties|null} [update] ServerMessage update
             * @property {fisherd.v1.Error.$Properties|null} [error] ServerMessage error
             * @property {fisherd.v1.Estimates.$Properties|null} [estimates] ServerMessage estimates
             * @property {fisherd.v1.SessionClosed.$Properties|null} [sessionClosed] ServerMessage sessionClosed
             * @property {fisherd.v1.SharedMemoryAccepted.$Properties|null} [sharedMemoryAccepted] ServerMessage sharedMemoryAccepted
             * @property {fisherd.v1.MessageRef.$Properties|null} [messageRef] A reply in the client's reply file (see SharedMemoryOffer): read it before the next ref'd request.
             * @property {"welcome"|"sessionOpened"|"update"|"error"|"estimates"|"sessionClosed"|"sharedMemoryAccepted"|"messageRef"} [kind] ServerMessage kind
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ServerMessage.
             * @memberof fisherd.v1
             * @interface IServerMessage
             * @augments fisherd.v1.ServerMessage.$Properties
             * @deprecated Use fisherd.v1.ServerMessage.$Properties instead.
             */

            /**
             * Narrowed shape of a ServerMessage.
             * @typedef {{
             *   requestId?: number|null;
             *   welcome?: fisherd.v1.Welcome.$Shape|null;
             *   sessionOpened?: fisherd.v1.SessionOpened.$Shape|null;
             *   update?: fisherd.v1.Update.$Shape|null;
             *   error?: fisherd.v1.Error.$Shape|null;
             *   estimates?: fisherd.v1.Estimates.$Shape|null;
             *   sessionClosed?: fisherd.v1.SessionClosed.$Shape|null;
             *   sharedMemoryAccepted?: fisherd.v1.SharedMemoryAccepted.$Shape|null;
             *   messageRef?: fisherd.v1.MessageRef.$Shape|null;
             *   $unknowns?: Array.<Uint8Array>;
             * } & (
             *   ({ kind?: undefined; welcome?: null; sessionOpened?: null; update?: null; error?: null; estimates?: null; sessionClosed?: null; sharedMemoryAccepted?: null; messageRef?: null }|{ kind?: "welcome"; welcome: fisherd.v1.Welcome.$Shape; sessionOpened?: null; update?: null; error?: null; estimates?: null; sessionClosed?: null; sharedMemoryAccepted?: null; messageRef?: null }|{ kind?: "sessionOpened"; welcome?: null; sessionOpened: fisherd.v1.SessionOpened.$Shape; update?: null; error?: null; estimates?: null; sessionClosed?: null; sharedMemoryAccepted?: null; messageRef?: null }|{ kind?: "update"; welcome?: null; sessionOpened?: null; update: fisherd.v1.Update.$Shape; error?: null; estimates?: null; sessionClosed?: null; sharedMemoryAccepted?: null; messageRef?: null }|{ kind?: "error"; welcome?: null; sessionOpened?: null; update?: null; error: fisherd.v1.Error.$Shape; estimates?: null; sessionClosed?: null; sharedMemoryAccepted?: null; messageRef?: null }|{ kind?: "estimates"; welcome?: null; sessionOpened?: null; update?: null; error?: null; estimates: fisherd.v1.Estimates.$Shape; sessionClosed?: null; sharedMemoryAccepted?: null; messageRef?: null }|{ kind?: "sessionClosed"; welcome?: null; sessionOpened?: null; update?: null; error?: null; estimates?: null; sessionClosed: fisherd.v1.SessionClosed.$Shape; sharedMemoryAccepted?: null; messageRef?: null }|{ kind?: "sharedMemoryAccepted"; welcome?: null; sessionOpened?: null; update?: null; error?: null; estimates?: null; sessionClosed?: null; sharedMemoryAccepted: fisherd.v1.SharedMemoryAccepted.$Shape; messageRef?: null }|{ kind?: "messageRef"; welcome?: null; sessionOpened?: null; update?: null; error?: null; estimates?: null; sessionClosed?: null; sharedMemoryAccepted?: null; messageRef: fisherd.v1.MessageRef.$Shape })
             * )} fisherd.v1.ServerMessage.$Shape
             */

            /**
             * Constructs a new ServerMessage.
             * @memberof fisherd.v1
             * @classdesc Represents a ServerMessage.
             * @constructor
             * @param {fisherd.v1.ServerMessage.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ServerMessage = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * The request_id of the ClientMessage this answers (0 for unsolicited messages such as a
             * WORKER_TIMEOUT caused by another worker).
             * @member {number} requestId
             * @memberof fisherd.v1.ServerMessage
             * @instance
             */
            ServerMessage.prototype.requestId = 0;

            /**
             * ServerMessage welcome.
             * @member {fisherd.v1.Welcome.$Properties|null|undefined} welcome
             * @memberof fisherd.v1.ServerMessage
             * @instance
             */
            ServerMessage.prototype.welcome = null;

            /**
             * ServerMessage sessionOpened.
             * @member {fisherd.v1.SessionOpened.$Properties|null|undefined} sessionOpened
             * @memberof fisherd.v1.ServerMessage
             * @instance
             */
            ServerMessage.prototype.sessionOpened = null;

            /**
             * ServerMessage update.
             * @member {fisherd.v1.Update.$Properties|null|undefined} update
             * @memberof fisherd.v1.ServerMessage
             * @instance
             */
            ServerMessage.prototype.update = null;

            /**
             * ServerMessage error.
             * @member {fisherd.v1.Error.$Properties|null|undefined} error
             * @memberof fisherd.v1.ServerMessage
             * @instance
             */
            ServerMessage.prototype.error = null;

            /**
             * ServerMessage estimates.
             * @member {fisherd.v1.Estimates.$Properties|null|undefined} estimates
             * @memberof fisherd.v1.ServerMessage
             * @instance
             */
            ServerMessage.prototype.estimates = null;

            /**
             * ServerMessage sessionClosed.
             * @member {fisherd.v1.SessionClosed.$Properties|null|undefined} sessionClosed
             * @memberof fisherd.v1.ServerMessage
             * @instance
             */
            ServerMessage.prototype.sessionClosed = null;

            /**
             * ServerMessage sharedMemoryAccepted.
             * @member {fisherd.v1.SharedMemoryAccepted.$Properties|null|undefined} sharedMemoryAccepted
             * @memberof fisherd.v1.ServerMessage
             * @instance
             */
            ServerMessage.prototype.sharedMemoryAccepted = null;

            /**
             * A reply in the client's reply file (see SharedMemoryOffer): read it before the next ref'd request.
             * @member {fisherd.v1.MessageRef.$Properties|null|undefined} messageRef
             * @memberof fisherd.v1.ServerMessage
             * @instance
             */
            ServerMessage.prototype.messageRef = null;

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            /**
             * ServerMessage kind.
             * @member {"welcome"|"sessionOpened"|"update"|"error"|"estimates"|"sessionClosed"|"sharedMemoryAccepted"|"messageRef"|undefined} kind
             * @memberof fisherd.v1.ServerMessage
             * @instance
             */
            $Object.defineProperty(ServerMessage.prototype, "kind", {
                get: $util.oneOfGetter($oneOfFields = ["welcome", "sessionOpened", "update", "error", "estimates", "sessionClosed", "sharedMemoryAccepted", "messageRef"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new ServerMessage instance using the specified properties.
             * @function create
             * @memberof fisherd.v1.ServerMessage
             * @static
             * @param {fisherd.v1.ServerMessage.$Properties=} [properties] Properties to set
             * @returns {fisherd.v1.ServerMessage} ServerMessage instance
             * @type {{
             *   (properties: fisherd.v1.ServerMessage.$Shape): fisherd.v1.ServerMessage & fisherd.v1.ServerMessage.$Shape;
             *   (properties?: fisherd.v1.ServerMessage.$Properties): fisherd.v1.ServerMessage;
             * }}
             */
            ServerMessage.create = function(properties) {
                return new ServerMessage(properties);
            };

            /**
             * Encodes the specified ServerMessage message. Does not implicitly {@link fisherd.v1.ServerMessage.verify|verify} messages.
             * @function encode
             * @memberof fisherd.v1.ServerMessage
             * @static
             * @param {fisherd.v1.ServerMessage.$Properties} message ServerMessage message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ServerMessage.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.requestId != null && $Object.hasOwnProperty.call(message, "requestId") && message.requestId !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.requestId);
                if (message.welcome != null && $Object.hasOwnProperty.call(message, "welcome"))
                    $root.fisherd.v1.Welcome.encode(message.welcome, writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                if (message.sessionOpened != null && $Object.hasOwnProperty.call(message, "sessionOpened"))
                    $root.fisherd.v1.SessionOpened.encode(message.sessionOpened, writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                if (message.update != null && $Object.hasOwnProperty.call(message, "update"))
                    $root.fisherd.v1.Update.encode(message.update, writer.uint32(/* id 4, wireType 2 =*/34).fork(), _depth + 1).ldelim();
                if (message.error != null && $Object.hasOwnProperty.call(message, "error"))
                    $root.fisherd.v1.Error.encode(message.error, writer.uint32(/* id 5, wireType 2 =*/42).fork(), _depth + 1).ldelim();
                if (message.estimates != null && $Object.hasOwnProperty.call(message, "estimates"))
                    $root.fisherd.v1.Estimates.encode(message.estimates, writer.uint32(/* id 6, wireType 2 =*/50).fork(), _depth + 1).ldelim();
                if (message.sessionClosed != null && $Object.hasOwnProperty.call(message, "sessionClosed"))
                    $root.fisherd.v1.SessionClosed.encode(message.sessionClosed, writer.uint32(/* id 7, wireType 2 =*/58).fork(), _depth + 1).ldelim();
                if (message.sharedMemoryAccepted != null && $Object.hasOwnProperty.call(message, "sharedMemoryAccepted"))
                    $root.fisherd.v1.SharedMemoryAccepted.encode(message.sharedMemoryAccepted, writer.uint32(/* id 8, wireType 2 =*/66).fork(), _depth + 1).ldelim();
                if (message.messageRef != null && $Object.hasOwnProperty.call(message, "messageRef"))
                    $root.fisherd.v1.MessageRef.encode(message.messageRef, writer.uint32(/* id 9, wireType 2 =*/74).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a ServerMessage message from the specified reader or buffer.
             * @function decode
             * @memberof fisherd.v1.ServerMessage
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fisherd.v1.ServerMessage & fisherd.v1.ServerMessage.$Shape} ServerMessage
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ServerMessage.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fisherd.v1.ServerMessage();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.requestId = value;
                            else
                                delete message.requestId;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            message.welcome = $root.fisherd.v1.Welcome.decode(reader, reader.size(), $undefined, _depth + 1, message.welcome);
                            message.kind = "welcome";
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            message.sessionOpened = $root.fisherd.v1.SessionOpened.decode(reader, reader.size(), $undefined, _depth + 1, message.sessionOpened);
                            message.kind = "sessionOpened";
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            message.update = $root.fisherd.v1.Update.decode(reader, reader.size(), $undefined, _depth + 1, message.update);
                            message.kind = "update";
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            message.error = $root.fisherd.v1.Error.decode(reader, reader.size(), $undefined, _depth + 1, message.error);
                            message.kind = "error";
                            continue;
                        }
                    case 6: {
                            if (wireType !== 2)
                                break;
                            message.estimates = $root.fisherd.v1.Estimates.decode(reader, reader.size(), $undefined, _depth + 1, message.estimates);
                            message.kind = "estimates";
                            continue;
                        }
                    case 7: {
                            if (wireType !== 2)
                                break;
                            message.sessionClosed = $root.fisherd.v1.SessionClosed.decode(reader, reader.size(), $undefined, _depth + 1, message.sessionClosed);
                            message.kind = "sessionClosed";
                            continue;
                        }
                    case 8: {
                            if (wireType !== 2)
                                break;
                            message.sharedMemoryAccepted = $root.fisherd.v1.SharedMemoryAccepted.decode(reader, reader.size(), $undefined, _depth + 1, message.sharedMemoryAccepted);
                            message.kind = "sharedMemoryAccepted";
                            continue;
                        }
                    case 9: {
                            if (wireType !== 2)
                                break;
                            message.messageRef = $root.fisherd.v1.MessageRef.decode(reader, reader.size(), $undefined, _depth + 1, message.messageRef);
                            message.kind = "messageRef";
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a ServerMessage message.
             * @function verify
             * @memberof fisherd.v1.ServerMessage
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            ServerMessage.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                let properties = {};
                if (message.requestId != null && $Object.hasOwnProperty.call(message, "requestId"))
                    if (!$util.isInteger(message.requestId))
                        return "requestId: integer expected";
                if (message.welcome != null && $Object.hasOwnProperty.call(message, "welcome")) {
                    properties.kind = 1;
                    {
                        let error = $root.fisherd.v1.Welcome.verify(message.welcome, _depth + 1);
                        if (error)
                            return "welcome." + error;
                    }
                }
                if (message.sessionOpened != null && $Object.hasOwnProperty.call(message, "sessionOpened")) {
                    if (properties.kind === 1)
                        return "kind: multiple values";
                    properties.kind = 1;
                    {
                        let error = $root.fisherd.v1.SessionOpened.verify(message.sessionOpened, _depth + 1);
                        if (error)
                            return "sessionOpened." + error;
                    }
                }
                if (message.update != null && $Object.hasOwnProperty.call(message, "update")) {
                    if (properties.kind === 1)
                        return "kind: multiple values";
                    properties.kind = 1;
                    {
                        let error = $root.fisherd.v1.Update.verify(message.update, _depth + 1);
                        if (error)
                            return "update." + error;
                    }
                }
                if (message.error != null && $Object.hasOwnProperty.call(message, "error")) {
                    if (properties.kind === 1)
                        return "kind: multiple values";
                    properties.kind = 1;
                    {
                        let error = $root.fisherd.v1.Error.verify(message.error, _depth + 1);
                        if (error)
                            return "error." + error;
                    }
                }
                if (message.estimates != null && $Object.hasOwnProperty.call(message, "estimates")) {
                    if (properties.kind === 1)
                        return "kind: multiple values";
                    properties.kind = 1;
                    {
                        let error = $root.fisherd.v1.Estimates.verify(message.estimates, _depth + 1);
                        if (error)
                            return "estimates." + error;
                    }
                }
                if (message.sessionClosed != null && $Object.hasOwnProperty.call(message, "sessionClosed")) {
                    if (properties.kind === 1)
                        return "kind: multiple values";
                    properties.kind = 1;
                    {
                        let error = $root.fisherd.v1.SessionClosed.verify(message.sessionClosed, _depth + 1);
                        if (error)
                            return "sessionClosed." + error;
                    }
                }
                if (message.sharedMemoryAccepted != null && $Object.hasOwnProperty.call(message, "sharedMemoryAccepted")) {
                    if (properties.kind === 1)
                        return "kind: multiple values";
                    properties.kind = 1;
                    {
                        let error = $root.fisherd.v1.SharedMemoryAccepted.verify(message.sharedMemoryAccepted, _depth + 1);
                        if (error)
                            return "sharedMemoryAccepted." + error;
                    }
                }
                if (message.messageRef != null && $Object.hasOwnProperty.call(message, "messageRef")) {
                    if (properties.kind === 1)
                        return "kind: multiple values";
                    properties.kind = 1;
                    {
                        let error = $root.fisherd.v1.MessageRef.verify(message.messageRef, _depth + 1);
                        if (error)
                            return "messageRef." + error;
                    }
                }
                return null;
            };

            /**
             * Creates a ServerMessage message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fisherd.v1.ServerMessage
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fisherd.v1.ServerMessage} ServerMessage
             */
            ServerMessage.fromObject = function (object, _depth) {
                if (object instanceof $root.fisherd.v1.ServerMessage)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fisherd.v1.ServerMessage: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fisherd.v1.ServerMessage();
                if (object.requestId != null)
                    if ($Number(object.requestId) !== 0)
                        message.requestId = object.requestId >>> 0;
                if (object.welcome != null) {
                    if (!$util.isObject(object.welcome))
                        throw $TypeError(".fisherd.v1.ServerMessage.welcome: object expected");
                    message.welcome = $root.fisherd.v1.Welcome.fromObject(object.welcome, _depth + 1);
                }
                if (object.sessionOpened != null) {
                    if (!$util.isObject(object.sessionOpened))
                        throw $TypeError(".fisherd.v1.ServerMessage.sessionOpened: object expected");
                    message.sessionOpened = $root.fisherd.v1.SessionOpened.fromObject(object.sessionOpened, _depth + 1);
                }
                if (object.update != null) {
                    if (!$util.isObject(object.update))
                        throw $TypeError(".fisherd.v1.ServerMessage.update: object expected");
                    message.update = $root.fisherd.v1.Update.fromObject(object.update, _depth + 1);
                }
                if (object.error != null) {
                    if (!$util.isObject(object.error))
                        throw $TypeError(".fisherd.v1.ServerMessage.error: object expected");
                    message.error = $root.fisherd.v1.Error.fromObject(object.error, _depth + 1);
                }
                if (object.estimates != null) {
                    if (!$util.isObject(object.estimates))
                        throw $TypeError(".fisherd.v1.ServerMessage.estimates: object expected");
                    message.estimates = $root.fisherd.v1.Estimates.fromObject(object.estimates, _depth + 1);
                }
                if (object.sessionClosed != null) {
                    if (!$util.isObject(object.sessionClosed))
                        throw $TypeError(".fisherd.v1.ServerMessage.sessionClosed: object expected");
                    message.sessionClosed = $root.fisherd.v1.SessionClosed.fromObject(object.sessionClosed, _depth + 1);
                }
                if (object.sharedMemoryAccepted != null) {
                    if (!$util.isObject(object.sharedMemoryAccepted))
                        throw $TypeError(".fisherd.v1.ServerMessage.sharedMemoryAccepted: object expected");
                    message.sharedMemoryAccepted = $root.fisherd.v1.SharedMemoryAccepted.fromObject(object.sharedMemoryAccepted, _depth + 1);
                }
                if (object.messageRef != null) {
                    if (!$util.isObject(object.messageRef))
                        throw $TypeError(".fisherd.v1.ServerMessage.messageRef: object expected");
                    message.messageRef = $root.fisherd.v1.MessageRef.fromObject(object.messageRef, _depth + 1);
                }
                return message;
            };

            /**
             * Creates a plain object from a ServerMessage message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fisherd.v1.ServerMessage
             * @static
             * @param {fisherd.v1.ServerMessage} message ServerMessage
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            ServerMessage.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults)
                    object.requestId = 0;
                if (message.requestId != null && $Object.hasOwnProperty.call(message, "requestId"))
                    object.requestId = message.requestId;
                if (message.welcome != null && $Object.hasOwnProperty.call(message, "welcome")) {
                    object.welcome = $root.fisherd.v1.Welcome.toObject(message.welcome, options, _depth + 1);
                    if (options.oneofs)
                        object.kind = "welcome";
                }
                if (message.sessionOpened != null && $Object.hasOwnProperty.call(message, "sessionOpened")) {
                    object.sessionOpened = $root.fisherd.v1.SessionOpened.toObject(message.sessionOpened, options, _depth + 1);
                    if (options.oneofs)
                        object.kind = "sessionOpened";
                }
                if (message.update != null && $Object.hasOwnProperty.call(message, "update")) {
                    object.update = $root.fisherd.v1.Update.toObject(message.update, options, _depth + 1);
                    if (options.oneofs)
                        object.kind = "update";
                }
                if (message.error != null && $Object.hasOwnProperty.call(message, "error")) {
                    object.error = $root.fisherd.v1.Error.toObject(message.error, options, _depth + 1);
                    if (options.oneofs)
                        object.kind = "error";
                }
                if (message.estimates != null && $Object.hasOwnProperty.call(message, "estimates")) {
                    object.estimates = $root.fisherd.v1.Estimates.toObject(message.estimates, options, _depth + 1);
                    if (options.oneofs)
                        object.kind = "estimates";
                }
                if (message.sessionClosed != null && $Object.hasOwnProperty.call(message, "sessionClosed")) {
                    object.sessionClosed = $root.fisherd.v1.SessionClosed.toObject(message.sessionClosed, options, _depth + 1);
                    if (options.oneofs)
                        object.kind = "sessionClosed";
                }
                if (message.sharedMemoryAccepted != null && $Object.hasOwnProperty.call(message, "sharedMemoryAccepted")) {
                    object.sharedMemoryAccepted = $root.fisherd.v1.SharedMemoryAccepted.toObject(message.sharedMemoryAccepted, options, _depth + 1);
                    if (options.oneofs)
                        object.kind = "sharedMemoryAccepted";
                }
                if (message.messageRef != null && $Object.hasOwnProperty.call(message, "messageRef")) {
                    object.messageRef = $root.fisherd.v1.MessageRef.toObject(message.messageRef, options, _depth + 1);
                    if (options.oneofs)
                        object.kind = "messageRef";
                }
                return object;
            };

            /**
             * Converts this ServerMessage to JSON.
             * @function toJSON
             * @memberof fisherd.v1.ServerMessage
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            ServerMessage.prototype.toJSON = function() {
                return ServerMessage.toObject(this, $protobuf.util.toJSONOptions);
            };

            return ServerMessage;
        })();

        v1.Welcome = (function() {

            /**
             * Properties of a Welcome.
             * @typedef {Object} fisherd.v1.Welcome.$Properties
             * @property {number|null} [protocolVersion] Welcome protocolVersion
             * @property {string|null} [serverVersion] fisherd's package version, e.g. "0.1.0".
             * @property {string|null} [backend] The compute backend the daemon runs, e.g. "openblas 0.3.21 (pthread, 2 threads)".
             * @property {string|null} [sharedMemoryDir] The daemon's shared-memory directory (--shared-memory-dir, e.g. "/dev/shm"), where a co-located
             * client may create the files of a SharedMemoryOffer; empty when the daemon has shared memory off.
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Welcome.
             * @memberof fisherd.v1
             * @interface IWelcome
             * @augments fisherd.v1.Welcome.$Properties
             * @deprecated Use fisherd.v1.Welcome.$Properties instead.
             */

            /**
             * Shape of a Welcome.
             * @typedef {fisherd.v1.Welcome.$Properties} fisherd.v1.Welcome.$Shape
             */

            /**
             * Constructs a new Welcome.
             * @memberof fisherd.v1
             * @classdesc Represents a Welcome.
             * @constructor
             * @param {fisherd.v1.Welcome.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Welcome = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Welcome protocolVersion.
             * @member {number} protocolVersion
             * @memberof fisherd.v1.Welcome
             * @instance
             */
            Welcome.prototype.protocolVersion = 0;

            /**
             * fisherd's package version, e.g. "0.1.0".
             * @member {string} serverVersion
             * @memberof fisherd.v1.Welcome
             * @instance
             */
            Welcome.prototype.serverVersion = "";

            /**
             * The compute backend the daemon runs, e.g. "openblas 0.3.21 (pthread, 2 threads)".
             * @member {string} backend
             * @memberof fisherd.v1.Welcome
             * @instance
             */
            Welcome.prototype.backend = "";

            /**
             * The daemon's shared-memory directory (--shared-memory-dir, e.g. "/dev/shm"), where a co-located
             * client may create the files of a SharedMemoryOffer; empty when the daemon has shared memory off.
             * @member {string} sharedMemoryDir
             * @memberof fisherd.v1.Welcome
             * @instance
             */
            Welcome.prototype.sharedMemoryDir = "";

            /**
             * Creates a new Welcome instance using the specified properties.
             * @function create
             * @memberof fisherd.v1.Welcome
             * @static
             * @param {fisherd.v1.Welcome.$Properties=} [properties] Properties to set
             * @returns {fisherd.v1.Welcome} Welcome instance
             * @type {{
             *   (properties: fisherd.v1.Welcome.$Shape): fisherd.v1.Welcome & fisherd.v1.Welcome.$Shape;
             *   (properties?: fisherd.v1.Welcome.$Properties): fisherd.v1.Welcome;
             * }}
             */
            Welcome.create = function(properties) {
                return new Welcome(properties);
            };

            /**
             * Encodes the specified Welcome message. Does not implicitly {@link fisherd.v1.Welcome.verify|verify} messages.
             * @function encode
             * @memberof fisherd.v1.Welcome
             * @static
             * @param {fisherd.v1.Welcome.$Properties} message Welcome message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Welcome.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.protocolVersion != null && $Object.hasOwnProperty.call(message, "protocolVersion") && message.protocolVersion !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.protocolVersion);
                if (message.serverVersion != null && $Object.hasOwnProperty.call(message, "serverVersion") && message.serverVersion !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.serverVersion);
                if (message.backend != null && $Object.hasOwnProperty.call(message, "backend") && message.backend !== "")
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.backend);
                if (message.sharedMemoryDir != null && $Object.hasOwnProperty.call(message, "sharedMemoryDir") && message.sharedMemoryDir !== "")
                    writer.uint32(/* id 4, wireType 2 =*/34).string(message.sharedMemoryDir);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a Welcome message from the specified reader or buffer.
             * @function decode
             * @memberof fisherd.v1.Welcome
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fisherd.v1.Welcome & fisherd.v1.Welcome.$Shape} Welcome
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Welcome.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fisherd.v1.Welcome();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.protocolVersion = value;
                            else
                                delete message.protocolVersion;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.serverVersion = value;
                            else
                                delete message.serverVersion;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.backend = value;
                            else
                                delete message.backend;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.sharedMemoryDir = value;
                            else
                                delete message.sharedMemoryDir;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a Welcome message.
             * @function verify
             * @memberof fisherd.v1.Welcome
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            Welcome.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.protocolVersion != null && $Object.hasOwnProperty.call(message, "protocolVersion"))
                    if (!$util.isInteger(message.protocolVersion))
                        return "protocolVersion: integer expected";
                if (message.serverVersion != null && $Object.hasOwnProperty.call(message, "serverVersion"))
                    if (!$util.isString(message.serverVersion))
                        return "serverVersion: string expected";
                if (message.backend != null && $Object.hasOwnProperty.call(message, "backend"))
                    if (!$util.isString(message.backend))
                        return "backend: string expected";
                if (message.sharedMemoryDir != null && $Object.hasOwnProperty.call(message, "sharedMemoryDir"))
                    if (!$util.isString(message.sharedMemoryDir))
                        return "sharedMemoryDir: string expected";
                return null;
            };

            /**
             * Creates a Welcome message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fisherd.v1.Welcome
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fisherd.v1.Welcome} Welcome
             */
            Welcome.fromObject = function (object, _depth) {
                if (object instanceof $root.fisherd.v1.Welcome)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fisherd.v1.Welcome: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fisherd.v1.Welcome();
                if (object.protocolVersion != null)
                    if ($Number(object.protocolVersion) !== 0)
                        message.protocolVersion = object.protocolVersion >>> 0;
                if (object.serverVersion != null)
                    if (typeof object.serverVersion !== "string" || object.serverVersion.length)
                        message.serverVersion = $String(object.serverVersion);
                if (object.backend != null)
                    if (typeof object.backend !== "string" || object.backend.length)
                        message.backend = $String(object.backend);
                if (object.sharedMemoryDir != null)
                    if (typeof object.sharedMemoryDir !== "string" || object.sharedMemoryDir.length)
                        message.sharedMemoryDir = $String(object.sharedMemoryDir);
                return message;
            };

            /**
             * Creates a plain object from a Welcome message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fisherd.v1.Welcome
             * @static
             * @param {fisherd.v1.Welcome} message Welcome
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Welcome.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.protocolVersion = 0;
                    object.serverVersion = "";
                    object.backend = "";
                    object.sharedMemoryDir = "";
                }
                if (message.protocolVersion != null && $Object.hasOwnProperty.call(message, "protocolVersion"))
                    object.protocolVersion = message.protocolVersion;
                if (message.serverVersion != null && $Object.hasOwnProperty.call(message, "serverVersion"))
                    object.serverVersion = message.serverVersion;
                if (message.backend != null && $Object.hasOwnProperty.call(message, "backend"))
                    object.backend = message.backend;
                if (message.sharedMemoryDir != null && $Object.hasOwnProperty.call(message, "sharedMemoryDir"))
                    object.sharedMemoryDir = message.sharedMemoryDir;
                return object;
            };

            /**
             * Converts this Welcome to JSON.
             * @function toJSON
             * @memberof fisherd.v1.Welcome
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Welcome.prototype.toJSON = function() {
                return Welcome.toObject(this, $protobuf.util.toJSONOptions);
            };

            return Welcome;
        })();

        v1.SessionOpened = (function() {

            /**
             * Properties of a SessionOpened.
             * @typedef {Object} fisherd.v1.SessionOpened.$Properties
             * @property {string|null} [sessionId] SessionOpened sessionId
             * @property {number|null} [resumedStep] The last step whose update the session has applied (0 for a new session); the next contribution
             * must carry step = resumed_step + 1. After a daemon restart this is the last checkpointed step.
             * @property {fisherd.v1.SessionConfig.$Properties|null} [config] The session's configuration as the daemon runs it, every default it uses filled in: structure (for a
             * session without blocks), the optimizer's damping, momentum, nesterov and weight decay (and snr_variance,
             * msvag_decay, blockwise, adam's b1/b2/eps where the rule uses them), ema_decay, fisher_source, workers,
             * backend and the effective track (what the optimizer needs ∪ what was asked for).
             * @property {fisherd.v1.Update.$Properties|null} [lastUpdate] The update of `resumed_step` (kept in checkpoints too): lets a client that lost the connection after
             * sending step resumed_step, but before receiving its update, carry on.
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a SessionOpened.
             * @memberof fisherd.v1
             * @interface ISessionOpened
             * @augments fisherd.v1.SessionOpened.$Properties
             * @deprecated Use fisherd.v1.SessionOpened.$Properties instead.
             */

            /**
             * Shape of a SessionOpened.
             * @typedef {{
             *   sessionId?: string|null;
             *   resumedStep?: number|null;
             *   config?: fisherd.v1.SessionConfig.$Shape|null;
             *   lastUpdate?: fisherd.v1.Update.$Shape|null;
             *   $unknowns?: Array.<Uint8Array>;
             * }} fisherd.v1.SessionOpened.$Shape
             */

            /**
             * Constructs a new SessionOpened.
             * @memberof fisherd.v1
             * @classdesc Represents a SessionOpened.
             * @constructor
             * @param {fisherd.v1.SessionOpened.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const SessionOpened = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * SessionOpened sessionId.
             * @member {string} sessionId
             * @memberof fisherd.v1.SessionOpened
             * @instance
             */
            SessionOpened.prototype.sessionId = "";

            /**
             * The last step whose update the session has applied (0 for a new session); the next contribution
             * must carry step = resumed_step + 1. After a daemon restart this is the last checkpointed step.
             * @member {number} resumedStep
             * @memberof fisherd.v1.SessionOpened
             * @instance
             */
            SessionOpened.prototype.resumedStep = 0;

            /**
             * The session's configuration as the daemon runs it, every default it uses filled in: structure (for a
             * session without blocks), the optimizer's damping, momentum, nesterov and weight decay (and snr_variance,
             * msvag_decay, blockwise, adam's b1/b2/eps where the rule uses them), ema_decay, fisher_source, workers,
             * backend and the effective track (what the optimizer needs ∪ what was asked for).
             * @member {fisherd.v1.SessionConfig.$Properties|null|undefined} config
             * @memberof fisherd.v1.SessionOpened
             * @instance
             */
            SessionOpened.prototype.config = null;

            /**
             * The update of `resumed_step` (kept in checkpoints too): lets a client that lost the connection after
             * sending step resumed_step, but before receiving its update, carry on.
             * @member {fisherd.v1.Update.$Properties|null|undefined} lastUpdate
             * @memberof fisherd.v1.SessionOpened
             * @instance
             */
            SessionOpened.prototype.lastUpdate = null;

            /**
             * Creates a new SessionOpened instance using the specified properties.
             * @function create
             * @memberof fisherd.v1.SessionOpened
             * @static
             * @param {fisherd.v1.SessionOpened.$Properties=} [properties] Properties to set
             * @returns {fisherd.v1.SessionOpened} SessionOpened instance
             * @type {{
             *   (properties: fisherd.v1.SessionOpened.$Shape): fisherd.v1.SessionOpened & fisherd.v1.SessionOpened.$Shape;
             *   (properties?: fisherd.v1.SessionOpened.$Properties): fisherd.v1.SessionOpened;
             * }}
             */
            SessionOpened.create = function(properties) {
                return new SessionOpened(properties);
            };

            /**
             * Encodes the specified SessionOpened message. Does not implicitly {@link fisherd.v1.SessionOpened.verify|verify} messages.
             * @function encode
             * @memberof fisherd.v1.SessionOpened
             * @static
             * @param {fisherd.v1.SessionOpened.$Properties} message SessionOpened message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            SessionOpened.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.sessionId != null && $Object.hasOwnProperty.call(message, "sessionId") && message.sessionId !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.sessionId);
                if (message.resumedStep != null && $Object.hasOwnProperty.call(message, "resumedStep") && message.resumedStep !== 0)
                    writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.resumedStep);
                if (message.config != null && $Object.hasOwnProperty.call(message, "config"))
                    $root.fisherd.v1.SessionConfig.encode(message.config, writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                if (message.lastUpdate != null && $Object.hasOwnProperty.call(message, "lastUpdate"))
                    $root.fisherd.v1.Update.encode(message.lastUpdate, writer.uint32(/* id 4, wireType 2 =*/34).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a SessionOpened message from the specified reader or buffer.
             * @function decode
             * @memberof fisherd.v1.SessionOpened
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fisherd.v1.SessionOpened & fisherd.v1.SessionOpened.$Shape} SessionOpened
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            SessionOpened.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fisherd.v1.SessionOpened();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.sessionId = value;
                            else
                                delete message.sessionId;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.resumedStep = value;
                            else
                                delete message.resumedStep;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            message.config = $root.fisherd.v1.SessionConfig.decode(reader, reader.size(), $undefined, _depth + 1, message.config);
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            message.lastUpdate = $root.fisherd.v1.Update.decode(reader, reader.size(), $undefined, _depth + 1, message.lastUpdate);
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a SessionOpened message.
             * @function verify
             * @memberof fisherd.v1.SessionOpened
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            SessionOpened.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.sessionId != null && $Object.hasOwnProperty.call(message, "sessionId"))
                    if (!$util.isString(message.sessionId))
                        return "sessionId: string expected";
                if (message.resumedStep != null && $Object.hasOwnProperty.call(message, "resumedStep"))
                    if (!$util.isInteger(message.resumedStep))
                        return "resumedStep: integer expected";
                if (message.config != null && $Object.hasOwnProperty.call(message, "config")) {
                    let error = $root.fisherd.v1.SessionConfig.verify(message.config, _depth + 1);
                    if (error)
                        return "config." + error;
                }
                if (message.lastUpdate != null && $Object.hasOwnProperty.call(message, "lastUpdate")) {
                    let error = $root.fisherd.v1.Update.verify(message.lastUpdate, _depth + 1);
                    if (error)
                        return "lastUpdate." + error;
                }
                return null;
            };

            /**
             * Creates a SessionOpened message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fisherd.v1.SessionOpened
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fisherd.v1.SessionOpened} SessionOpened
             */
            SessionOpened.fromObject = function (object, _depth) {
                if (object instanceof $root.fisherd.v1.SessionOpened)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fisherd.v1.SessionOpened: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fisherd.v1.SessionOpened();
                if (object.sessionId != null)
                    if (typeof object.sessionId !== "string" || object.sessionId.length)
                        message.sessionId = $String(object.sessionId);
                if (object.resumedStep != null)
                    if ($Number(object.resumedStep) !== 0)
                        message.resumedStep = object.resumedStep >>> 0;
                if (object.config != null) {
                    if (!$util.isObject(object.config))
                        throw $TypeError(".fisherd.v1.SessionOpened.config: object expected");
                    message.config = $root.fisherd.v1.SessionConfig.fromObject(object.config, _depth + 1);
                }
                if (object.lastUpdate != null) {
                    if (!$util.isObject(object.lastUpdate))
                        throw $TypeError(".fisherd.v1.SessionOpened.lastUpdate: object expected");
                    message.lastUpdate = $root.fisherd.v1.Update.fromObject(object.lastUpdate, _depth + 1);
                }
                return message;
            };

            /**
             * Creates a plain object from a SessionOpened message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fisherd.v1.SessionOpened
             * @static
             * @param {fisherd.v1.SessionOpened} message SessionOpened
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            SessionOpened.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.sessionId = "";
                    object.resumedStep = 0;
                    object.config = null;
                    object.lastUpdate = null;
                }
                if (message.sessionId != null && $Object.hasOwnProperty.call(message, "sessionId"))
                    object.sessionId = message.sessionId;
                if (message.resumedStep != null && $Object.hasOwnProperty.call(message, "resumedStep"))
                    object.resumedStep = message.resumedStep;
                if (message.config != null && $Object.hasOwnProperty.call(message, "config"))
                    object.config = $root.fisherd.v1.SessionConfig.toObject(message.config, options, _depth + 1);
                if (message.lastUpdate != null && $Object.hasOwnProperty.call(message, "lastUpdate"))
                    object.lastUpdate = $root.fisherd.v1.Update.toObject(message.lastUpdate, options, _depth + 1);
                return object;
            };

            /**
             * Converts this SessionOpened to JSON.
             * @function toJSON
             * @memberof fisherd.v1.SessionOpened
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            SessionOpened.prototype.toJSON = function() {
                return SessionOpened.toObject(this, $protobuf.util.toJSONOptions);
            };

            return SessionOpened;
        })();

        v1.Update = (function() {

            /**
             * Properties of an Update.
             * @typedef {Object} fisherd.v1.Update.$Properties
             * @property {string|null} [sessionId] Update sessionId
             * @property {number|null} [step] Update step
             * @property {Uint8Array|null} [delta] Δθ, D little-endian float32: the client applies θ ← θ + Δθ.
             * @property {fisherd.v1.Diagnostics.$Properties|null} [diagnostics] Update diagnostics
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an Update.
             * @memberof fisherd.v1
             * @interface IUpdate
             * @augments fisherd.v1.Update.$Properties
             * @deprecated Use fisherd.v1.Update.$Properties instead.
             */

            /**
             * Shape of an Update.
             * @typedef {fisherd.v1.Update.$Properties} fisherd.v1.Update.$Shape
             */

            /**
             * Constructs a new Update.
             * @memberof fisherd.v1
             * @classdesc Represents an Update.
             * @constructor
             * @param {fisherd.v1.Update.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Update = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Update sessionId.
             * @member {string} sessionId
             * @memberof fisherd.v1.Update
             * @instance
             */
            Update.prototype.sessionId = "";

            /**
             * Update step.
             * @member {number} step
             * @memberof fisherd.v1.Update
             * @instance
             */
            Update.prototype.step = 0;

            /**
             * Δθ, D little-endian float32: the client applies θ ← θ + Δθ.
             * @member {Uint8Array} delta
             * @memberof fisherd.v1.Update
             * @instance
             */
            Update.prototype.delta = $util.newBuffer([]);

            /**
             * Update diagnostics.
             * @member {fisherd.v1.Diagnostics.$Properties|null|undefined} diagnostics
             * @memberof fisherd.v1.Update
             * @instance
             */
            Update.prototype.diagnostics = null;

            /**
             * Creates a new Update instance using the specified properties.
             * @function create
             * @memberof fisherd.v1.Update
             * @static
             * @param {fisherd.v1.Update.$Properties=} [properties] Properties to set
             * @returns {fisherd.v1.Update} Update instance
             * @type {{
             *   (properties: fisherd.v1.Update.$Shape): fisherd.v1.Update & fisherd.v1.Update.$Shape;
             *   (properties?: fisherd.v1.Update.$Properties): fisherd.v1.Update;
             * }}
             */
            Update.create = function(properties) {
                return new Update(properties);
            };

            /**
             * Encodes the specified Update message. Does not implicitly {@link fisherd.v1.Update.verify|verify} messages.
             * @function encode
             * @memberof fisherd.v1.Update
             * @static
             * @param {fisherd.v1.Update.$Properties} message Update message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Update.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.sessionId != null && $Object.hasOwnProperty.call(message, "sessionId") && message.sessionId !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.sessionId);
                if (message.step != null && $Object.hasOwnProperty.call(message, "step") && message.step !== 0)
                    writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.step);
                if (message.delta != null && $Object.hasOwnProperty.call(message, "delta") && message.delta.length)
                    writer.uint32(/* id 3, wireType 2 =*/26).bytes(message.delta);
                if (message.diagnostics != null && $Object.hasOwnProperty.call(message, "diagnostics"))
                    $root.fisherd.v1.Diagnostics.encode(message.diagnostics, writer.uint32(/* id 4, wireType 2 =*/34).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes an Update message from the specified reader or buffer.
             * @function decode
             * @memberof fisherd.v1.Update
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fisherd.v1.Update & fisherd.v1.Update.$Shape} Update
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Update.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fisherd.v1.Update();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.sessionId = value;
                            else
                                delete message.sessionId;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.step = value;
                            else
                                delete message.step;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.delta = value;
                            else
                                delete message.delta;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            message.diagnostics = $root.fisherd.v1.Diagnostics.decode(reader, reader.size(), $undefined, _depth + 1, message.diagnostics);
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies an Update message.
             * @function verify
             * @memberof fisherd.v1.Update
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            Update.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.sessionId != null && $Object.hasOwnProperty.call(message, "sessionId"))
                    if (!$util.isString(message.sessionId))
                        return "sessionId: string expected";
                if (message.step != null && $Object.hasOwnProperty.call(message, "step"))
                    if (!$util.isInteger(message.step))
                        return "step: integer expected";
                if (message.delta != null && $Object.hasOwnProperty.call(message, "delta"))
                    if (!(message.delta && typeof message.delta.length === "number" || $util.isString(message.delta)))
                        return "delta: buffer expected";
                if (message.diagnostics != null && $Object.hasOwnProperty.call(message, "diagnostics")) {
                    let error = $root.fisherd.v1.Diagnostics.verify(message.diagnostics, _depth + 1);
                    if (error)
                        return "diagnostics." + error;
                }
                return null;
            };

            /**
             * Creates an Update message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fisherd.v1.Update
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fisherd.v1.Update} Update
             */
            Update.fromObject = function (object, _depth) {
                if (object instanceof $root.fisherd.v1.Update)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fisherd.v1.Update: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fisherd.v1.Update();
                if (object.sessionId != null)
                    if (typeof object.sessionId !== "string" || object.sessionId.length)
                        message.sessionId = $String(object.sessionId);
                if (object.step != null)
                    if ($Number(object.step) !== 0)
                        message.step = object.step >>> 0;
                if (object.delta != null)
                    if (object.delta.length)
                        if (typeof object.delta === "string")
                            $util.base64.decode(object.delta, message.delta = $util.newBuffer($util.base64.length(object.delta)), 0);
                        else if (object.delta.length >= 0)
                            message.delta = object.delta;
                if (object.diagnostics != null) {
                    if (!$util.isObject(object.diagnostics))
                        throw $TypeError(".fisherd.v1.Update.diagnostics: object expected");
                    message.diagnostics = $root.fisherd.v1.Diagnostics.fromObject(object.diagnostics, _depth + 1);
                }
                return message;
            };

            /**
             * Creates a plain object from an Update message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fisherd.v1.Update
             * @static
             * @param {fisherd.v1.Update} message Update
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Update.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.sessionId = "";
                    object.step = 0;
                    if (options.bytes === $String)
                        object.delta = "";
                    else {
                        object.delta = [];
                        if (options.bytes !== $Array)
                            object.delta = $util.newBuffer(object.delta);
                    }
                    object.diagnostics = null;
                }
                if (message.sessionId != null && $Object.hasOwnProperty.call(message, "sessionId"))
                    object.sessionId = message.sessionId;
                if (message.step != null && $Object.hasOwnProperty.call(message, "step"))
                    object.step = message.step;
                if (message.delta != null && $Object.hasOwnProperty.call(message, "delta"))
                    object.delta = options.bytes === $String ? $util.base64.encode(message.delta, 0, message.delta.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.delta) : message.delta;
                if (message.diagnostics != null && $Object.hasOwnProperty.call(message, "diagnostics"))
                    object.diagnostics = $root.fisherd.v1.Diagnostics.toObject(message.diagnostics, options, _depth + 1);
                return object;
            };

            /**
             * Converts this Update to JSON.
             * @function toJSON
             * @memberof fisherd.v1.Update
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Update.prototype.toJSON = function() {
                return Update.toObject(this, $protobuf.util.toJSONOptions);
            };

            return Update;
        })();

        v1.Diagnostics = (function() {

            /**
             * Properties of a Diagnostics.
             * @typedef {Object} fisherd.v1.Diagnostics.$Properties
             * @property {number|null} [loss] Sample-weighted mean of the workers' losses, when they sent them.
             * @property {number|null} [batchSize] b, the number of examples in the merged minibatch.
             * @property {number|null} [updateNorm] ‖Δθ‖₂.
             * @property {number|null} [computeSeconds] Seconds the daemon spent computing this update.
             * @property {Object.<string,number>|null} [values] Further scalars, by name (camelCase). The daemon sends:
             * "gradNorm"        ‖ḡ‖₂ of the (running) mean gradient the rule used, every step;
             * "stepSize"        γ_t, the step size scheduled for this step, every step;
             * "damping"         λ_t, for the rules that solve with it (ngd, efgd, va);
             * "cosineEfFisher"  cos((Ẽ+λI)⁻¹ḡ, (F+λI)⁻¹ḡ), when both Fishers are tracked;
             * "meanSnr"         mean over coordinates of ḡ_i²/(ḡ_i² + ρS_ii) (the SNR factor), when the noise is tracked;
             * "rho"             damping adaptation's reduction ratio, on the steps that adapted λ from it.
             * and for each KIND_KRONECKER block <name> (math.md, "Kronecker factors (K-FAC)"; ḡ_k, Ẽ_k, F_k the block's):
             * "layer.<name>.cosineEfFisher"       cos((Ẽ_k+λI)⁻¹ḡ_k, (F_k+λI)⁻¹ḡ_k), when both Fishers are tracked;
             * "layer.<name>.fisher.trace"         tr Ḡ · tr Ā of the Fisher's factors, when the Fisher is tracked;
             * "layer.<name>.fisher.top1" … ".top3" the largest eigenvalues λ_G,o·λ_A,i (installed decomposition);
             * "layer.<name>.empiricalFisher.trace", ".top1" … ".top3"  the same for the empirical Fisher;
             * "layer.<name>.basisVersion"         the version of the Fisher's (else the EF's) installed decomposition;
             * "layer.<name>.factorUpdates"        how many factor updates the block's factors hold (its EMA clock t).
             * A client must ignore names it does not know (later versions may add some).
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Diagnostics.
             * @memberof fisherd.v1
             * @interface IDiagnostics
             * @augments fisherd.v1.Diagnostics.$Properties
             * @deprecated Use fisherd.v1.Diagnostics.$Properties instead.
             */

            /**
             * Shape of a Diagnostics.
             * @typedef {fisherd.v1.Diagnostics.$Properties} fisherd.v1.Diagnostics.$Shape
             */

            /**
             * Constructs a new Diagnostics.
             * @memberof fisherd.v1
             * @classdesc Represents a Diagnostics.
             * @constructor
             * @param {fisherd.v1.Diagnostics.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Diagnostics = function (properties) {
                this.values = {};
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Sample-weighted mean of the workers' losses, when they sent them.
             * @member {number|null|undefined} loss
             * @memberof fisherd.v1.Diagnostics
             * @instance
             */
            Diagnostics.prototype.loss = null;

            /**
             * b, the number of examples in the merged minibatch.
             * @member {number} batchSize
             * @memberof fisherd.v1.Diagnostics
             * @instance
             */
            Diagnostics.prototype.batchSize = 0;

            /**
             * ‖Δθ‖₂.
             * @member {number} updateNorm
             * @memberof fisherd.v1.Diagnostics
             * @instance
             */
            Diagnostics.prototype.updateNorm = 0;

            /**
             * Seconds the daemon spent computing this update.
             * @member {number} computeSeconds
             * @memberof fisherd.v1.Diagnostics
             * @instance
             */
            Diagnostics.prototype.computeSeconds = 0;

            /**
             * Further scalars, by name (camelCase). The daemon sends:
             * "gradNorm"        ‖ḡ‖₂ of the (running) mean gradient the rule used, every step;
             * "stepSize"        γ_t, the step size scheduled for this step, every step;
             * "damping"         λ_t, for the rules that solve with it (ngd, efgd, va);
             * "cosineEfFisher"  cos((Ẽ+λI)⁻¹ḡ, (F+λI)⁻¹ḡ), when both Fishers are tracked;
             * "meanSnr"         mean over coordinates of ḡ_i²/(ḡ_i² + ρS_ii) (the SNR factor), when the noise is tracked;
             * "rho"             damping adaptation's reduction ratio, on the steps that adapted λ from it.
             * and for each KIND_KRONECKER block <name> (math.md, "Kronecker factors (K-FAC)"; ḡ_k, Ẽ_k, F_k the block's):
             * "layer.<name>.cosineEfFisher"       cos((Ẽ_k+λI)⁻¹ḡ_k, (F_k+λI)⁻¹ḡ_k), when both Fishers are tracked;
             * "layer.<name>.fisher.trace"         tr Ḡ · tr Ā of the Fisher's factors, when the Fisher is tracked;
             * "layer.<name>.fisher.top1" … ".top3" the largest eigenvalues λ_G,o·λ_A,i (installed decomposition);
             * "layer.<name>.empiricalFisher.trace", ".top1" … ".top3"  the same for the empirical Fisher;
             * "layer.<name>.basisVersion"         the version of the Fisher's (else the EF's) installed decomposition;
             * "layer.<name>.factorUpdates"        how many factor updates the block's factors hold (its EMA clock t).
             * A client must ignore names it does not know (later versions may add some).
             * @member {Object.<string,number>} values
             * @memberof fisherd.v1.Diagnostics
             * @instance
             */
            Diagnostics.prototype.values = $util.emptyObject;

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            // Virtual OneOf for proto3 optional field
            $Object.defineProperty(Diagnostics.prototype, "_loss", {
                get: $util.oneOfGetter($oneOfFields = ["loss"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new Diagnostics instance using the specified properties.
             * @function create
             * @memberof fisherd.v1.Diagnostics
             * @static
             * @param {fisherd.v1.Diagnostics.$Properties=} [properties] Properties to set
             * @returns {fisherd.v1.Diagnostics} Diagnostics instance
             * @type {{
             *   (properties: fisherd.v1.Diagnostics.$Shape): fisherd.v1.Diagnostics & fisherd.v1.Diagnostics.$Shape;
             *   (properties?: fisherd.v1.Diagnostics.$Properties): fisherd.v1.Diagnostics;
             * }}
             */
            Diagnostics.create = function(properties) {
                return new Diagnostics(properties);
            };

            /**
             * Encodes the specified Diagnostics message. Does not implicitly {@link fisherd.v1.Diagnostics.verify|verify} messages.
             * @function encode
             * @memberof fisherd.v1.Diagnostics
             * @static
             * @param {fisherd.v1.Diagnostics.$Properties} message Diagnostics message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Diagnostics.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.loss != null && $Object.hasOwnProperty.call(message, "loss"))
                    writer.uint32(/* id 1, wireType 1 =*/9).double(message.loss);
                if (message.batchSize != null && $Object.hasOwnProperty.call(message, "batchSize") && message.batchSize !== 0)
                    writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.batchSize);
                if (message.updateNorm != null && $Object.hasOwnProperty.call(message, "updateNorm") && !$Object.is(message.updateNorm, 0))
                    writer.uint32(/* id 3, wireType 1 =*/25).double(message.updateNorm);
                if (message.computeSeconds != null && $Object.hasOwnProperty.call(message, "computeSeconds") && !$Object.is(message.computeSeconds, 0))
                    writer.uint32(/* id 4, wireType 1 =*/33).double(message.computeSeconds);
                if (message.values != null && $Object.hasOwnProperty.call(message, "values"))
                    for (let keys = $Object.keys(message.values), i = 0; i < keys.length; ++i)
                        writer.uint32(/* id 5, wireType 2 =*/42).fork().uint32(/* id 1, wireType 2 =*/10).string(keys[i]).uint32(/* id 2, wireType 1 =*/17).double(message.values[keys[i]]).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a Diagnostics message from the specified reader or buffer.
             * @function decode
             * @memberof fisherd.v1.Diagnostics
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fisherd.v1.Diagnostics & fisherd.v1.Diagnostics.$Shape} Diagnostics
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Diagnostics.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, key, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fisherd.v1.Diagnostics();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 1)
                                break;
                            message.loss = reader.double();
                            message._loss = "loss";
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.batchSize = value;
                            else
                                delete message.batchSize;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.updateNorm = value;
                            else
                                delete message.updateNorm;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.computeSeconds = value;
                            else
                                delete message.computeSeconds;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            if (message.values === $util.emptyObject)
                                message.values = {};
                            let end2 = reader.size() + reader.pos;
                            if (end2 > reader.len)
                                throw $RangeError("index out of range");
                            reader.len = end2;
                            key = "";
                            value = 0;
                            while (reader.pos < end2) {
                                let tag2 = reader.tag();
                                wireType = tag2 & 7;
                                switch (tag2 >>>= 3) {
                                case 1:
                                    if (wireType !== 2)
                                        break;
                                    key = reader.stringVerify();
                                    continue;
                                case 2:
                                    if (wireType !== 1)
                                        break;
                                    value = reader.double();
                                    continue;
                                }
                                reader.skipType(wireType, _depth, tag2);
                            }
                            if (reader.pos !== end2)
                                throw $RangeError("index out of range");
                            reader.len = end;
                            if (key === "__proto__")
                                $util.makeProp(message.values, key);
                            message.values[key] = value;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a Diagnostics message.
             * @function verify
             * @memberof fisherd.v1.Diagnostics
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            Diagnostics.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                let properties = {};
                if (message.loss != null && $Object.hasOwnProperty.call(message, "loss")) {
                    properties._loss = 1;
                    if (typeof message.loss !== "number")
                        return "loss: number expected";
                }
                if (message.batchSize != null && $Object.hasOwnProperty.call(message, "batchSize"))
                    if (!$util.isInteger(message.batchSize))
                        return "batchSize: integer expected";
                if (message.updateNorm != null && $Object.hasOwnProperty.call(message, "updateNorm"))
                    if (typeof message.updateNorm !== "number")
                        return "updateNorm: number expected";
                if (message.computeSeconds != null && $Object.hasOwnProperty.call(message, "computeSeconds"))
                    if (typeof message.computeSeconds !== "number")
                        return "computeSeconds: number expected";
                if (message.values != null && $Object.hasOwnProperty.call(message, "values")) {
                    if (!$util.isObject(message.values))
                        return "values: object expected";
                    let key = $Object.keys(message.values);
                    for (let i = 0; i < key.length; ++i)
                        if (typeof message.values[key[i]] !== "number")
                            return "values: number{k:string} expected";
                }
                return null;
            };

            /**
             * Creates a Diagnostics message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fisherd.v1.Diagnostics
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fisherd.v1.Diagnostics} Diagnostics
             */
            Diagnostics.fromObject = function (object, _depth) {
                if (object instanceof $root.fisherd.v1.Diagnostics)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fisherd.v1.Diagnostics: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fisherd.v1.Diagnostics();
                if (object.loss != null)
                    message.loss = $Number(object.loss);
                if (object.batchSize != null)
                    if ($Number(object.batchSize) !== 0)
                        message.batchSize = object.batchSize >>> 0;
                if (object.updateNorm != null)
                    if (!$Object.is($Number(object.updateNorm), 0))
                        message.updateNorm = $Number(object.updateNorm);
                if (object.computeSeconds != null)
                    if (!$Object.is($Number(object.computeSeconds), 0))
                        message.computeSeconds = $Number(object.computeSeconds);
                if (object.values) {
                    if (!$util.isObject(object.values))
                        throw $TypeError(".fisherd.v1.Diagnostics.values: object expected");
                    message.values = {};
                    for (let keys = $Object.keys(object.values), i = 0; i < keys.length; ++i) {
                        if (keys[i] === "__proto__")
                            $util.makeProp(message.values, keys[i]);
                        message.values[keys[i]] = $Number(object.values[keys[i]]);
                    }
                }
                return message;
            };

            /**
             * Creates a plain object from a Diagnostics message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fisherd.v1.Diagnostics
             * @static
             * @param {fisherd.v1.Diagnostics} message Diagnostics
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Diagnostics.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.objects || options.defaults)
                    object.values = {};
                if (options.defaults) {
                    object.batchSize = 0;
                    object.updateNorm = 0;
                    object.computeSeconds = 0;
                }
                if (message.loss != null && $Object.hasOwnProperty.call(message, "loss"))
                    object.loss = options.json && !$isFinite(message.loss) ? $String(message.loss) : message.loss;
                if (message.batchSize != null && $Object.hasOwnProperty.call(message, "batchSize"))
                    object.batchSize = message.batchSize;
                if (message.updateNorm != null && $Object.hasOwnProperty.call(message, "updateNorm"))
                    object.updateNorm = options.json && !$isFinite(message.updateNorm) ? $String(message.updateNorm) : message.updateNorm;
                if (message.computeSeconds != null && $Object.hasOwnProperty.call(message, "computeSeconds"))
                    object.computeSeconds = options.json && !$isFinite(message.computeSeconds) ? $String(message.computeSeconds) : message.computeSeconds;
                let keys2;
                if (message.values && (keys2 = $Object.keys(message.values)).length) {
                    object.values = {};
                    for (let j = 0; j < keys2.length; ++j) {
                        if (keys2[j] === "__proto__")
                            $util.makeProp(object.values, keys2[j]);
                        object.values[keys2[j]] = options.json && !$isFinite(message.values[keys2[j]]) ? $String(message.values[keys2[j]]) : message.values[keys2[j]];
                    }
                }
                return object;
            };

            /**
             * Converts this Diagnostics to JSON.
             * @function toJSON
             * @memberof fisherd.v1.Diagnostics
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Diagnostics.prototype.toJSON = function() {
                return Diagnostics.toObject(this, $protobuf.util.toJSONOptions);
            };

            return Diagnostics;
        })();

        v1.Error = (function() {

            /**
             * Properties of an Error.
             * @typedef {Object} fisherd.v1.Error.$Properties
             * @property {fisherd.v1.ErrorCode|null} [code] Error code
             * @property {string|null} [message] What went wrong, for people; names the problem and what to do.
             * @property {string|null} [field] The input field at fault, e.g. "step.perExampleGrads", "config.optimizer.damping" (empty if none).
             * @property {number|null} [step] The step the error concerns, when there is one.
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an Error.
             * @memberof fisherd.v1
             * @interface IError
             * @augments fisherd.v1.Error.$Properties
             * @deprecated Use fisherd.v1.Error.$Properties instead.
             */

            /**
             * Shape of an Error.
             * @typedef {fisherd.v1.Error.$Properties} fisherd.v1.Error.$Shape
             */

            /**
             * Constructs a new Error.
             * @memberof fisherd.v1
             * @classdesc Represents an Error.
             * @constructor
             * @param {fisherd.v1.Error.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Error = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Error code.
             * @member {fisherd.v1.ErrorCode} code
             * @memberof fisherd.v1.Error
             * @instance
             */
            Error.prototype.code = 0;

            /**
             * What went wrong, for people; names the problem and what to do.
             * @member {string} message
             * @memberof fisherd.v1.Error
             * @instance
             */
            Error.prototype.message = "";

            /**
             * The input field at fault, e.g. "step.perExampleGrads", "config.optimizer.damping" (empty if none).
             * @member {string} field
             * @memberof fisherd.v1.Error
             * @instance
             */
            Error.prototype.field = "";

            /**
             * The step the error concerns, when there is one.
             * @member {number|null|undefined} step
             * @memberof fisherd.v1.Error
             * @instance
             */
            Error.prototype.step = null;

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            // Virtual OneOf for proto3 optional field
            $Object.defineProperty(Error.prototype, "_step", {
                get: $util.oneOfGetter($oneOfFields = ["step"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new Error instance using the specified properties.
             * @function create
             * @memberof fisherd.v1.Error
             * @static
             * @param {fisherd.v1.Error.$Properties=} [properties] Properties to set
             * @returns {fisherd.v1.Error} Error instance
             * @type {{
             *   (properties: fisherd.v1.Error.$Shape): fisherd.v1.Error & fisherd.v1.Error.$Shape;
             *   (properties?: fisherd.v1.Error.$Properties): fisherd.v1.Error;
             * }}
             */
            Error.create = function(properties) {
                return new Error(properties);
            };

            /**
             * Encodes the specified Error message. Does not implicitly {@link fisherd.v1.Error.verify|verify} messages.
             * @function encode
             * @memberof fisherd.v1.Error
             * @static
             * @param {fisherd.v1.Error.$Properties} message Error message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Error.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.code != null && $Object.hasOwnProperty.call(message, "code") && message.code !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).int32(message.code);
                if (message.message != null && $Object.hasOwnProperty.call(message, "message") && message.message !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.message);
                if (message.field != null && $Object.hasOwnProperty.call(message, "field") && message.field !== "")
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.field);
                if (message.step != null && $Object.hasOwnProperty.call(message, "step"))
                    writer.uint32(/* id 4, wireType 0 =*/32).uint32(message.step);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes an Error message from the specified reader or buffer.
             * @function decode
             * @memberof fisherd.v1.Error
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fisherd.v1.Error & fisherd.v1.Error.$Shape} Error
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Error.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fisherd.v1.Error();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.code = value;
                            else
                                delete message.code;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.message = value;
                            else
                                delete message.message;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.field = value;
                            else
                                delete message.field;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            message.step = reader.uint32();
                            message._step = "step";
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies an Error message.
             * @function verify
             * @memberof fisherd.v1.Error
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            Error.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                let properties = {};
                if (message.code != null && $Object.hasOwnProperty.call(message, "code"))
                    if (typeof message.code !== "number" || (message.code | 0) !== message.code)
                        return "code: enum value expected";
                if (message.message != null && $Object.hasOwnProperty.call(message, "message"))
                    if (!$util.isString(message.message))
                        return "message: string expected";
                if (message.field != null && $Object.hasOwnProperty.call(message, "field"))
                    if (!$util.isString(message.field))
                        return "field: string expected";
                if (message.step != null && $Object.hasOwnProperty.call(message, "step")) {
                    properties._step = 1;
                    if (!$util.isInteger(message.step))
                        return "step: integer expected";
                }
                return null;
            };

            /**
             * Creates an Error message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fisherd.v1.Error
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fisherd.v1.Error} Error
             */
            Error.fromObject = function (object, _depth) {
                if (object instanceof $root.fisherd.v1.Error)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fisherd.v1.Error: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fisherd.v1.Error();
                if (object.code !== 0 && (typeof object.code !== "string" || $root.fisherd.v1.ErrorCode[object.code] !== 0))
                    switch (object.code) {
                    case "ERROR_CODE_UNSPECIFIED":
                    case 0:
                        message.code = 0;
                        break;
                    case "ERROR_CODE_SHAPE_MISMATCH":
                    case 1:
                        message.code = 1;
                        break;
                    case "ERROR_CODE_NON_FINITE":
                    case 2:
                        message.code = 2;
                        break;
                    case "ERROR_CODE_INVALID_CONFIG":
                    case 3:
                        message.code = 3;
                        break;
                    case "ERROR_CODE_UNKNOWN_BLOCK":
                    case 4:
                        message.code = 4;
                        break;
                    case "ERROR_CODE_MISSING_INPUT":
                    case 5:
                        message.code = 5;
                        break;
                    case "ERROR_CODE_NOT_POSITIVE_DEFINITE":
                    case 6:
                        message.code = 6;
                        break;
                    case "ERROR_CODE_MALFORMED_FRAME":
                    case 7:
                        message.code = 7;
                        break;
                    case "ERROR_CODE_UNEXPECTED_MESSAGE":
                    case 8:
                        message.code = 8;
                        break;
                    case "ERROR_CODE_UNSUPPORTED_VERSION":
                    case 9:
                        message.code = 9;
                        break;
                    case "ERROR_CODE_UNAUTHORIZED":
                    case 10:
                        message.code = 10;
                        break;
                    case "ERROR_CODE_FRAME_TOO_LARGE":
                    case 11:
                        message.code = 11;
                        break;
                    case "ERROR_CODE_UNKNOWN_SESSION":
                    case 12:
                        message.code = 12;
                        break;
                    case "ERROR_CODE_STEP_OUT_OF_ORDER":
                    case 13:
                        message.code = 13;
                        break;
                    case "ERROR_CODE_BAD_WORKER":
                    case 14:
                        message.code = 14;
                        break;
                    case "ERROR_CODE_WORKER_TIMEOUT":
                    case 15:
                        message.code = 15;
                        break;
                    case "ERROR_CODE_BACKPRESSURE":
                    case 16:
                        message.code = 16;
                        break;
                    case "ERROR_CODE_SHUTTING_DOWN":
                    case 17:
                        message.code = 17;
                        break;
                    case "ERROR_CODE_TRACE_CORRUPT":
                    case 18:
                        message.code = 18;
                        break;
                    case "ERROR_CODE_TRACE_VERSION":
                    case 19:
                        message.code = 19;
                        break;
                    case "ERROR_CODE_INTERNAL":
                    case 20:
                        message.code = 20;
                        break;
                    case "ERROR_CODE_RECORDING_FAILED":
                    case 21:
                        message.code = 21;
                        break;
                    case "ERROR_CODE_CHECKPOINT_FAILED":
                    case 22:
                        message.code = 22;
                        break;
                    case "ERROR_CODE_SHARED_MEMORY_UNAVAILABLE":
                    case 23:
                        message.code = 23;
                        break;
                    default:
                        if (typeof object.code === "number" && (object.code | 0) === object.code)
                            message.code = object.code;
                    }
                if (object.message != null)
                    if (typeof object.message !== "string" || object.message.length)
                        message.message = $String(object.message);
                if (object.field != null)
                    if (typeof object.field !== "string" || object.field.length)
                        message.field = $String(object.field);
                if (object.step != null)
                    message.step = object.step >>> 0;
                return message;
            };

            /**
             * Creates a plain object from an Error message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fisherd.v1.Error
             * @static
             * @param {fisherd.v1.Error} message Error
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Error.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.code = options.enums === $String ? "ERROR_CODE_UNSPECIFIED" : 0;
                    object.message = "";
                    object.field = "";
                }
                if (message.code != null && $Object.hasOwnProperty.call(message, "code"))
                    object.code = options.enums === $String ? $root.fisherd.v1.ErrorCode[message.code] === $undefined ? message.code : $root.fisherd.v1.ErrorCode[message.code] : message.code;
                if (message.message != null && $Object.hasOwnProperty.call(message, "message"))
                    object.message = message.message;
                if (message.field != null && $Object.hasOwnProperty.call(message, "field"))
                    object.field = message.field;
                if (message.step != null && $Object.hasOwnProperty.call(message, "step"))
                    object.step = message.step;
                return object;
            };

            /**
             * Converts this Error to JSON.
             * @function toJSON
             * @memberof fisherd.v1.Error
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Error.prototype.toJSON = function() {
                return Error.toObject(this, $protobuf.util.toJSONOptions);
            };

            return Error;
        })();

        /**
         * Mirrors src/errors.ts ERROR_CODES one to one (a test keeps them in sync).
         * @name fisherd.v1.ErrorCode
         * @enum {number}
         * @property {number} ERROR_CODE_UNSPECIFIED=0 ERROR_CODE_UNSPECIFIED value
         * @property {number} ERROR_CODE_SHAPE_MISMATCH=1 ERROR_CODE_SHAPE_MISMATCH value
         * @property {number} ERROR_CODE_NON_FINITE=2 ERROR_CODE_NON_FINITE value
         * @property {number} ERROR_CODE_INVALID_CONFIG=3 ERROR_CODE_INVALID_CONFIG value
         * @property {number} ERROR_CODE_UNKNOWN_BLOCK=4 ERROR_CODE_UNKNOWN_BLOCK value
         * @property {number} ERROR_CODE_MISSING_INPUT=5 ERROR_CODE_MISSING_INPUT value
         * @property {number} ERROR_CODE_NOT_POSITIVE_DEFINITE=6 ERROR_CODE_NOT_POSITIVE_DEFINITE value
         * @property {number} ERROR_CODE_MALFORMED_FRAME=7 ERROR_CODE_MALFORMED_FRAME value
         * @property {number} ERROR_CODE_UNEXPECTED_MESSAGE=8 ERROR_CODE_UNEXPECTED_MESSAGE value
         * @property {number} ERROR_CODE_UNSUPPORTED_VERSION=9 ERROR_CODE_UNSUPPORTED_VERSION value
         * @property {number} ERROR_CODE_UNAUTHORIZED=10 ERROR_CODE_UNAUTHORIZED value
         * @property {number} ERROR_CODE_FRAME_TOO_LARGE=11 ERROR_CODE_FRAME_TOO_LARGE value
         * @property {number} ERROR_CODE_UNKNOWN_SESSION=12 ERROR_CODE_UNKNOWN_SESSION value
         * @property {number} ERROR_CODE_STEP_OUT_OF_ORDER=13 ERROR_CODE_STEP_OUT_OF_ORDER value
         * @property {number} ERROR_CODE_BAD_WORKER=14 ERROR_CODE_BAD_WORKER value
         * @property {number} ERROR_CODE_WORKER_TIMEOUT=15 ERROR_CODE_WORKER_TIMEOUT value
         * @property {number} ERROR_CODE_BACKPRESSURE=16 ERROR_CODE_BACKPRESSURE value
         * @property {number} ERROR_CODE_SHUTTING_DOWN=17 ERROR_CODE_SHUTTING_DOWN value
         * @property {number} ERROR_CODE_TRACE_CORRUPT=18 ERROR_CODE_TRACE_CORRUPT value
         * @property {number} ERROR_CODE_TRACE_VERSION=19 ERROR_CODE_TRACE_VERSION value
         * @property {number} ERROR_CODE_INTERNAL=20 ERROR_CODE_INTERNAL value
         * @property {number} ERROR_CODE_RECORDING_FAILED=21 Recording the session's trace failed (disk full, I/O error): the session goes on, unrecorded; the
         * message names the step the trace ends before and the trace directory.
         * @property {number} ERROR_CODE_CHECKPOINT_FAILED=22 Writing the session's checkpoint failed (disk full, I/O error): the session goes on in memory, but a
         * restart would resume it from the older checkpoint on disk. `step` is the step that checkpoint holds
         * (0: none yet); the message says it too, and the step the failed write was for. Sent to every
         * connection attached to the session, unsolicited (request_id 0), at each failed attempt; the daemon
         * retries at the next steps and when the session closes.
         * @property {number} ERROR_CODE_SHARED_MEMORY_UNAVAILABLE=23 A SharedMemoryOffer the daemon cannot take: shared memory is off (--shared-memory off), or a file
         * name, the files or the nonce fail its checks (the message says which; `field` names the offer's
         * field). The connection goes on; the client sends its messages as frames.
         */
        v1.ErrorCode = (function() {
            const valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "ERROR_CODE_UNSPECIFIED"] = 0;
            values[valuesById[1] = "ERROR_CODE_SHAPE_MISMATCH"] = 1;
            values[valuesById[2] = "ERROR_CODE_NON_FINITE"] = 2;
            values[valuesById[3] = "ERROR_CODE_INVALID_CONFIG"] = 3;
            values[valuesById[4] = "ERROR_CODE_UNKNOWN_BLOCK"] = 4;
            values[valuesById[5] = "ERROR_CODE_MISSING_INPUT"] = 5;
            values[valuesById[6] = "ERROR_CODE_NOT_POSITIVE_DEFINITE"] = 6;
            values[valuesById[7] = "ERROR_CODE_MALFORMED_FRAME"] = 7;
            values[valuesById[8] = "ERROR_CODE_UNEXPECTED_MESSAGE"] = 8;
            values[valuesById[9] = "ERROR_CODE_UNSUPPORTED_VERSION"] = 9;
            values[valuesById[10] = "ERROR_CODE_UNAUTHORIZED"] = 10;
            values[valuesById[11] = "ERROR_CODE_FRAME_TOO_LARGE"] = 11;
            values[valuesById[12] = "ERROR_CODE_UNKNOWN_SESSION"] = 12;
            values[valuesById[13] = "ERROR_CODE_STEP_OUT_OF_ORDER"] = 13;
            values[valuesById[14] = "ERROR_CODE_BAD_WORKER"] = 14;
            values[valuesById[15] = "ERROR_CODE_WORKER_TIMEOUT"] = 15;
            values[valuesById[16] = "ERROR_CODE_BACKPRESSURE"] = 16;
            values[valuesById[17] = "ERROR_CODE_SHUTTING_DOWN"] = 17;
            values[valuesById[18] = "ERROR_CODE_TRACE_CORRUPT"] = 18;
            values[valuesById[19] = "ERROR_CODE_TRACE_VERSION"] = 19;
            values[valuesById[20] = "ERROR_CODE_INTERNAL"] = 20;
            values[valuesById[21] = "ERROR_CODE_RECORDING_FAILED"] = 21;
            values[valuesById[22] = "ERROR_CODE_CHECKPOINT_FAILED"] = 22;
            values[valuesById[23] = "ERROR_CODE_SHARED_MEMORY_UNAVAILABLE"] = 23;
            return values;
        })();

        v1.Estimates = (function() {

            /**
             * Properties of an Estimates.
             * @typedef {Object} fisherd.v1.Estimates.$Properties
             * @property {string|null} [sessionId] Estimates sessionId
             * @property {number|null} [step] The last completed step these estimates include.
             * @property {Array.<fisherd.v1.Estimate.$Properties>|null} [estimates] One entry per tracked estimate.
             * @property {Uint8Array|null} [meanGrad] The bias-corrected running mean gradient ḡ, little-endian float64, the requested range (only with include_diagonals).
             * @property {number|null} [cosineEfFisher] cos((Ẽ+λI)⁻¹ḡ, (F+λI)⁻¹ḡ) with the session's damping, when both Fishers are tracked.
             * @property {number|null} [diagonalOffset] The first coordinate the diagonals and mean_grad hold (the request's diagonal_offset).
             * @property {Array.<fisherd.v1.KroneckerBasis.$Properties>|null} [kroneckerBases] With EstimatesRequest.kronecker_basis: that block's installed eigendecomposition in each tracked
             * Fisher (empirical, then sampled-label/exact), as its solves use it.
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an Estimates.
             * @memberof fisherd.v1
             * @interface IEstimates
             * @augments fisherd.v1.Estimates.$Properties
             * @deprecated Use fisherd.v1.Estimates.$Properties instead.
             */

            /**
             * Shape of an Estimates.
             * @typedef {fisherd.v1.Estimates.$Properties} fisherd.v1.Estimates.$Shape
             */

            /**
             * Constructs a new Estimates.
             * @memberof fisherd.v1
             * @classdesc Represents an Estimates.
             * @constructor
             * @param {fisherd.v1.Estimates.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Estimates = function (properties) {
                this.estimates = [];
                this.kroneckerBases = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Estimates sessionId.
             * @member {string} sessionId
             * @memberof fisherd.v1.Estimates
             * @instance
             */
            Estimates.prototype.sessionId = "";

            /**
             * The last completed step these estimates include.
             * @member {number} step
             * @memberof fisherd.v1.Estimates
             * @instance
             */
            Estimates.prototype.step = 0;

            /**
             * One entry per tracked estimate.
             * @member {Array.<fisherd.v1.Estimate.$Properties>} estimates
             * @memberof fisherd.v1.Estimates
             * @instance
             */
            Estimates.prototype.estimates = $util.emptyArray;

            /**
             * The bias-corrected running mean gradient ḡ, little-endian float64, the requested range (only with include_diagonals).
             * @member {Uint8Array} meanGrad
             * @memberof fisherd.v1.Estimates
             * @instance
             */
            Estimates.prototype.meanGrad = $util.newBuffer([]);

            /**
             * cos((Ẽ+λI)⁻¹ḡ, (F+λI)⁻¹ḡ) with the session's damping, when both Fishers are tracked.
             * @member {number|null|undefined} cosineEfFisher
             * @memberof fisherd.v1.Estimates
             * @instance
             */
            Estimates.prototype.cosineEfFisher = null;

            /**
             * The first coordinate the diagonals and mean_grad hold (the request's diagonal_offset).
             * @member {number} diagonalOffset
             * @memberof fisherd.v1.Estimates
             * @instance
             */
            Estimates.prototype.diagonalOffset = 0;

            /**
             * With EstimatesRequest.kronecker_basis: that block's installed eigendecomposition in each tracked
             * Fisher (empirical, then sampled-label/exact), as its solves use it.
             * @member {Array.<fisherd.v1.KroneckerBasis.$Properties>} kroneckerBases
             * @memberof fisherd.v1.Estimates
             * @instance
             */
            Estimates.prototype.kroneckerBases = $util.emptyArray;

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            // Virtual OneOf for proto3 optional field
            $Object.defineProperty(Estimates.prototype, "_cosineEfFisher", {
                get: $util.oneOfGetter($oneOfFields = ["cosineEfFisher"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new Estimates instance using the specified properties.
             * @function create
             * @memberof fisherd.v1.Estimates
             * @static
             * @param {fisherd.v1.Estimates.$Properties=} [properties] Properties to set
             * @returns {fisherd.v1.Estimates} Estimates instance
             * @type {{
             *   (properties: fisherd.v1.Estimates.$Shape): fisherd.v1.Estimates & fisherd.v1.Estimates.$Shape;
             *   (properties?: fisherd.v1.Estimates.$Properties): fisherd.v1.Estimates;
             * }}
             */
            Estimates.create = function(properties) {
                return new Estimates(properties);
            };

            /**
             * Encodes the specified Estimates message. Does not implicitly {@link fisherd.v1.Estimates.verify|verify} messages.
             * @function encode
             * @memberof fisherd.v1.Estimates
             * @static
             * @param {fisherd.v1.Estimates.$Properties} message Estimates message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Estimates.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.sessionId != null && $Object.hasOwnProperty.call(message, "sessionId") && message.sessionId !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.sessionId);
                if (message.step != null && $Object.hasOwnProperty.call(message, "step") && message.step !== 0)
                    writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.step);
                if (message.estimates != null && message.estimates.length)
                    for (let i = 0; i < message.estimates.length; ++i)
                        $root.fisherd.v1.Estimate.encode(message.estimates[i], writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                if (message.meanGrad != null && $Object.hasOwnProperty.call(message, "meanGrad") && message.meanGrad.length)
                    writer.uint32(/* id 4, wireType 2 =*/34).bytes(message.meanGrad);
                if (message.cosineEfFisher != null && $Object.hasOwnProperty.call(message, "cosineEfFisher"))
                    writer.uint32(/* id 5, wireType 1 =*/41).double(message.cosineEfFisher);
                if (message.diagonalOffset != null && $Object.hasOwnProperty.call(message, "diagonalOffset") && message.diagonalOffset !== 0)
                    writer.uint32(/* id 6, wireType 0 =*/48).uint32(message.diagonalOffset);
                if (message.kroneckerBases != null && message.kroneckerBases.length)
                    for (let i = 0; i < message.kroneckerBases.length; ++i)
                        $root.fisherd.v1.KroneckerBasis.encode(message.kroneckerBases[i], writer.uint32(/* id 7, wireType 2 =*/58).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes an Estimates message from the specified reader or buffer.
             * @function decode
             * @memberof fisherd.v1.Estimates
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fisherd.v1.Estimates & fisherd.v1.Estimates.$Shape} Estimates
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Estimates.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fisherd.v1.Estimates();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.sessionId = value;
                            else
                                delete message.sessionId;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.step = value;
                            else
                                delete message.step;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if (!(message.estimates && message.estimates.length))
                                message.estimates = [];
                            message.estimates.push($root.fisherd.v1.Estimate.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.meanGrad = value;
                            else
                                delete message.meanGrad;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 1)
                                break;
                            message.cosineEfFisher = reader.double();
                            message._cosineEfFisher = "cosineEfFisher";
                            continue;
                        }
                    case 6: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.diagonalOffset = value;
                            else
                                delete message.diagonalOffset;
                            continue;
                        }
                    case 7: {
                            if (wireType !== 2)
                                break;
                            if (!(message.kroneckerBases && message.kroneckerBases.length))
                                message.kroneckerBases = [];
                            message.kroneckerBases.push($root.fisherd.v1.KroneckerBasis.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies an Estimates message.
             * @function verify
             * @memberof fisherd.v1.Estimates
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            Estimates.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                let properties = {};
                if (message.sessionId != null && $Object.hasOwnProperty.call(message, "sessionId"))
                    if (!$util.isString(message.sessionId))
                        return "sessionId: string expected";
                if (message.step != null && $Object.hasOwnProperty.call(message, "step"))
                    if (!$util.isInteger(message.step))
                        return "step: integer expected";
                if (message.estimates != null && $Object.hasOwnProperty.call(message, "estimates")) {
                    if (!$Array.isArray(message.estimates))
                        return "estimates: array expected";
                    for (let i = 0; i < message.estimates.length; ++i) {
                        let error = $root.fisherd.v1.Estimate.verify(message.estimates[i], _depth + 1);
                        if (error)
                            return "estimates." + error;
                    }
                }
                if (message.meanGrad != null && $Object.hasOwnProperty.call(message, "meanGrad"))
                    if (!(message.meanGrad && typeof message.meanGrad.length === "number" || $util.isString(message.meanGrad)))
                        return "meanGrad: buffer expected";
                if (message.cosineEfFisher != null && $Object.hasOwnProperty.call(message, "cosineEfFisher")) {
                    properties._cosineEfFisher = 1;
                    if (typeof message.cosineEfFisher !== "number")
                        return "cosineEfFisher: number expected";
                }
                if (message.diagonalOffset != null && $Object.hasOwnProperty.call(message, "diagonalOffset"))
                    if (!$util.isInteger(message.diagonalOffset))
                        return "diagonalOffset: integer expected";
                if (message.kroneckerBases != null && $Object.hasOwnProperty.call(message, "kroneckerBases")) {
                    if (!$Array.isArray(message.kroneckerBases))
                        return "kroneckerBases: array expected";
                    for (let i = 0; i < message.kroneckerBases.length; ++i) {
                        let error = $root.fisherd.v1.KroneckerBasis.verify(message.kroneckerBases[i], _depth + 1);
                        if (error)
                            return "kroneckerBases." + error;
                    }
                }
                return null;
            };

            /**
             * Creates an Estimates message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fisherd.v1.Estimates
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fisherd.v1.Estimates} Estimates
             */
            Estimates.fromObject = function (object, _depth) {
                if (object instanceof $root.fisherd.v1.Estimates)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fisherd.v1.Estimates: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fisherd.v1.Estimates();
                if (object.sessionId != null)
                    if (typeof object.sessionId !== "string" || object.sessionId.length)
                        message.sessionId = $String(object.sessionId);
                if (object.step != null)
                    if ($Number(object.step) !== 0)
                        message.step = object.step >>> 0;
                if (object.estimates) {
                    if (!$Array.isArray(object.estimates))
                        throw $TypeError(".fisherd.v1.Estimates.estimates: array expected");
                    message.estimates = $Array(object.estimates.length);
                    for (let i = 0; i < object.estimates.length; ++i) {
                        if (!$util.isObject(object.estimates[i]))
                            throw $TypeError(".fisherd.v1.Estimates.estimates: object expected");
                        message.estimates[i] = $root.fisherd.v1.Estimate.fromObject(object.estimates[i], _depth + 1);
                    }
                }
                if (object.meanGrad != null)
                    if (object.meanGrad.length)
                        if (typeof object.meanGrad === "string")
                            $util.base64.decode(object.meanGrad, message.meanGrad = $util.newBuffer($util.base64.length(object.meanGrad)), 0);
                        else if (object.meanGrad.length >= 0)
                            message.meanGrad = object.meanGrad;
                if (object.cosineEfFisher != null)
                    message.cosineEfFisher = $Number(object.cosineEfFisher);
                if (object.diagonalOffset != null)
                    if ($Number(object.diagonalOffset) !== 0)
                        message.diagonalOffset = object.diagonalOffset >>> 0;
                if (object.kroneckerBases) {
                    if (!$Array.isArray(object.kroneckerBases))
                        throw $TypeError(".fisherd.v1.Estimates.kroneckerBases: array expected");
                    message.kroneckerBases = $Array(object.kroneckerBases.length);
                    for (let i = 0; i < object.kroneckerBases.length; ++i) {
                        if (!$util.isObject(object.kroneckerBases[i]))
                            throw $TypeError(".fisherd.v1.Estimates.kroneckerBases: object expected");
                        message.kroneckerBases[i] = $root.fisherd.v1.KroneckerBasis.fromObject(object.kroneckerBases[i], _depth + 1);
                    }
                }
                return message;
            };

            /**
             * Creates a plain object from an Estimates message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fisherd.v1.Estimates
             * @static
             * @param {fisherd.v1.Estimates} message Estimates
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Estimates.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.arrays || options.defaults) {
                    object.estimates = [];
                    object.kroneckerBases = [];
                }
                if (options.defaults) {
                    object.sessionId = "";
                    object.step = 0;
                    if (options.bytes === $String)
                        object.meanGrad = "";
                    else {
                        object.meanGrad = [];
                        if (options.bytes !== $Array)
                            object.meanGrad = $util.newBuffer(object.meanGrad);
                    }
                    object.diagonalOffset = 0;
                }
                if (message.sessionId != null && $Object.hasOwnProperty.call(message, "sessionId"))
                    object.sessionId = message.sessionId;
                if (message.step != null && $Object.hasOwnProperty.call(message, "step"))
                    object.step = message.step;
                if (message.estimates && message.estimates.length) {
                    object.estimates = $Array(message.estimates.length);
                    for (let j = 0; j < message.estimates.length; ++j)
                        object.estimates[j] = $root.fisherd.v1.Estimate.toObject(message.estimates[j], options, _depth + 1);
                }
                if (message.meanGrad != null && $Object.hasOwnProperty.call(message, "meanGrad"))
                    object.meanGrad = options.bytes === $String ? $util.base64.encode(message.meanGrad, 0, message.meanGrad.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.meanGrad) : message.meanGrad;
                if (message.cosineEfFisher != null && $Object.hasOwnProperty.call(message, "cosineEfFisher"))
                    object.cosineEfFisher = options.json && !$isFinite(message.cosineEfFisher) ? $String(message.cosineEfFisher) : message.cosineEfFisher;
                if (message.diagonalOffset != null && $Object.hasOwnProperty.call(message, "diagonalOffset"))
                    object.diagonalOffset = message.diagonalOffset;
                if (message.kroneckerBases && message.kroneckerBases.length) {
                    object.kroneckerBases = $Array(message.kroneckerBases.length);
                    for (let j = 0; j < message.kroneckerBases.length; ++j)
                        object.kroneckerBases[j] = $root.fisherd.v1.KroneckerBasis.toObject(message.kroneckerBases[j], options, _depth + 1);
                }
                return object;
            };

            /**
             * Converts this Estimates to JSON.
             * @function toJSON
             * @memberof fisherd.v1.Estimates
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Estimates.prototype.toJSON = function() {
                return Estimates.toObject(this, $protobuf.util.toJSONOptions);
            };

            return Estimates;
        })();

        v1.KroneckerBasis = (function() {

            /**
             * Properties of a KroneckerBasis.
             * @typedef {Object} fisherd.v1.KroneckerBasis.$Properties
             * @property {fisherd.v1.Estimate.Kind|null} [kind] Whose blocks: KIND_EMPIRICAL_FISHER or KIND_FISHER.
             * @property {string|null} [block] KroneckerBasis block
             * @property {number|null} [version] The decomposition's version: the update diagnostic "layer.<block>.basisVersion", and what
             * KroneckerStatistics.basis_version names. 0: none installed yet (before the first factor update);
             * the vectors and values are then empty.
             * @property {number|null} [outputs] KroneckerBasis outputs
             * @property {number|null} [inputOrder] in' = inputs + 1 with a bias.
             * @property {Uint8Array|null} [outputValues] Eigenvalues, descending, clamped at 0 (little-endian float64): λ_G (out) and λ_A (in').
             * @property {Uint8Array|null} [inputValues] KroneckerBasis inputValues
             * @property {Uint8Array|null} [outputVectors] Eigenvectors as rows, little-endian float32 (the rows of V_Gᵀ and V_Aᵀ): output_vectors[j·out + o] is
             * component o of the eigenvector of output_values[j], input_vectors[j·in' + i] likewise.
             * @property {Uint8Array|null} [inputVectors] KroneckerBasis inputVectors
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a KroneckerBasis.
             * @memberof fisherd.v1
             * @interface IKroneckerBasis
             * @augments fisherd.v1.KroneckerBasis.$Properties
             * @deprecated Use fisherd.v1.KroneckerBasis.$Properties instead.
             */

            /**
             * Shape of a KroneckerBasis.
             * @typedef {fisherd.v1.KroneckerBasis.$Properties} fisherd.v1.KroneckerBasis.$Shape
             */

            /**
             * Constructs a new KroneckerBasis.
             * @memberof fisherd.v1
             * @classdesc A Kronecker block's installed eigendecompositions Ā = V_A diag(λ_A) V_Aᵀ, Ḡ = V_G diag(λ_G) V_Gᵀ of the
             * bias-corrected factors at the last refresh (docs/math.md, "Kronecker factors (K-FAC)").
             * @constructor
             * @param {fisherd.v1.KroneckerBasis.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const KroneckerBasis = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Whose blocks: KIND_EMPIRICAL_FISHER or KIND_FISHER.
             * @member {fisherd.v1.Estimate.Kind} kind
             * @memberof fisherd.v1.KroneckerBasis
             * @instance
             */
            KroneckerBasis.prototype.kind = 0;

            /**
             * KroneckerBasis block.
             * @member {string} block
             * @memberof fisherd.v1.KroneckerBasis
             * @instance
             */
            KroneckerBasis.prototype.block = "";

            /**
             * The decomposition's version: the update diagnostic "layer.<block>.basisVersion", and what
             * KroneckerStatistics.basis_version names. 0: none installed yet (before the first factor update);
             * the vectors and values are then empty.
             * @member {number} version
             * @memberof fisherd.v1.KroneckerBasis
             * @instance
             */
            KroneckerBasis.prototype.version = 0;

            /**
             * KroneckerBasis outputs.
             * @member {number} outputs
             * @memberof fisherd.v1.KroneckerBasis
             * @instance
             */
            KroneckerBasis.prototype.outputs = 0;

            /**
             * in' = inputs + 1 with a bias.
             * @member {number} inputOrder
             * @memberof fisherd.v1.KroneckerBasis
             * @instance
             */
            KroneckerBasis.prototype.inputOrder = 0;

            /**
             * Eigenvalues, descending, clamped at 0 (little-endian float64): λ_G (out) and λ_A (in').
             * @member {Uint8Array} outputValues
             * @memberof fisherd.v1.KroneckerBasis
             * @instance
             */
            KroneckerBasis.prototype.outputValues = $util.newBuffer([]);

            /**
             * KroneckerBasis inputValues.
             * @member {Uint8Array} inputValues
             * @memberof fisherd.v1.KroneckerBasis
             * @instance
             */
            KroneckerBasis.prototype.inputValues = $util.newBuffer([]);

            /**
             * Eigenvectors as rows, little-endian float32 (the rows of V_Gᵀ and V_Aᵀ): output_vectors[j·out + o] is
             * component o of the eigenvector of output_values[j], input_vectors[j·in' + i] likewise.
             * @member {Uint8Array} outputVectors
             * @memberof fisherd.v1.KroneckerBasis
             * @instance
             */
            KroneckerBasis.prototype.outputVectors = $util.newBuffer([]);

            /**
             * KroneckerBasis inputVectors.
             * @member {Uint8Array} inputVectors
             * @memberof fisherd.v1.KroneckerBasis
             * @instance
             */
            KroneckerBasis.prototype.inputVectors = $util.newBuffer([]);

            /**
             * Creates a new KroneckerBasis instance using the specified properties.
             * @function create
             * @memberof fisherd.v1.KroneckerBasis
             * @static
             * @param {fisherd.v1.KroneckerBasis.$Properties=} [properties] Properties to set
             * @returns {fisherd.v1.KroneckerBasis} KroneckerBasis instance
             * @type {{
             *   (properties: fisherd.v1.KroneckerBasis.$Shape): fisherd.v1.KroneckerBasis & fisherd.v1.KroneckerBasis.$Shape;
             *   (properties?: fisherd.v1.KroneckerBasis.$Properties): fisherd.v1.KroneckerBasis;
             * }}
             */
            KroneckerBasis.create = function(properties) {
                return new KroneckerBasis(properties);
            };

            /**
             * Encodes the specified KroneckerBasis message. Does not implicitly {@link fisherd.v1.KroneckerBasis.verify|verify} messages.
             * @function encode
             * @memberof fisherd.v1.KroneckerBasis
             * @static
             * @param {fisherd.v1.KroneckerBasis.$Properties} message KroneckerBasis message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            KroneckerBasis.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.kind != null && $Object.hasOwnProperty.call(message, "kind") && message.kind !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).int32(message.kind);
                if (message.block != null && $Object.hasOwnProperty.call(message, "block") && message.block !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.block);
                if (message.version != null && $Object.hasOwnProperty.call(message, "version") && message.version !== 0)
                    writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.version);
                if (message.outputs != null && $Object.hasOwnProperty.call(message, "outputs") && message.outputs !== 0)
                    writer.uint32(/* id 4, wireType 0 =*/32).uint32(message.outputs);
                if (message.inputOrder != null && $Object.hasOwnProperty.call(message, "inputOrder") && message.inputOrder !== 0)
                    writer.uint32(/* id 5, wireType 0 =*/40).uint32(message.inputOrder);
                if (message.outputValues != null && $Object.hasOwnProperty.call(message, "outputValues") && message.outputValues.length)
                    writer.uint32(/* id 6, wireType 2 =*/50).bytes(message.outputValues);
                if (message.inputValues != null && $Object.hasOwnProperty.call(message, "inputValues") && message.inputValues.length)
                    writer.uint32(/* id 7, wireType 2 =*/58).bytes(message.inputValues);
                if (message.outputVectors != null && $Object.hasOwnProperty.call(message, "outputVectors") && message.outputVectors.length)
                    writer.uint32(/* id 8, wireType 2 =*/66).bytes(message.outputVectors);
                if (message.inputVectors != null && $Object.hasOwnProperty.call(message, "inputVectors") && message.inputVectors.length)
                    writer.uint32(/* id 9, wireType 2 =*/74).bytes(message.inputVectors);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a KroneckerBasis message from the specified reader or buffer.
             * @function decode
             * @memberof fisherd.v1.KroneckerBasis
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fisherd.v1.KroneckerBasis & fisherd.v1.KroneckerBasis.$Shape} KroneckerBasis
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            KroneckerBasis.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fisherd.v1.KroneckerBasis();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.kind = value;
                            else
                                delete message.kind;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.block = value;
                            else
                                delete message.block;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.version = value;
                            else
                                delete message.version;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.outputs = value;
                            else
                                delete message.outputs;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.inputOrder = value;
                            else
                                delete message.inputOrder;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.outputValues = value;
                            else
                                delete message.outputValues;
                            continue;
                        }
                    case 7: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.inputValues = value;
                            else
                                delete message.inputValues;
                            continue;
                        }
                    case 8: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.outputVectors = value;
                            else
                                delete message.outputVectors;
                            continue;
                        }
                    case 9: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.inputVectors = value;
                            else
                                delete message.inputVectors;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a KroneckerBasis message.
             * @function verify
             * @memberof fisherd.v1.KroneckerBasis
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            KroneckerBasis.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.kind != null && $Object.hasOwnProperty.call(message, "kind"))
                    if (typeof message.kind !== "number" || (message.kind | 0) !== message.kind)
                        return "kind: enum value expected";
                if (message.block != null && $Object.hasOwnProperty.call(message, "block"))
                    if (!$util.isString(message.block))
                        return "block: string expected";
                if (message.version != null && $Object.hasOwnProperty.call(message, "version"))
                    if (!$util.isInteger(message.version))
                        return "version: integer expected";
                if (message.outputs != null && $Object.hasOwnProperty.call(message, "outputs"))
                    if (!$util.isInteger(message.outputs))
                        return "outputs: integer expected";
                if (message.inputOrder != null && $Object.hasOwnProperty.call(message, "inputOrder"))
                    if (!$util.isInteger(message.inputOrder))
                        return "inputOrder: integer expected";
                if (message.outputValues != null && $Object.hasOwnProperty.call(message, "outputValues"))
                    if (!(message.outputValues && typeof message.outputValues.length === "number" || $util.isString(message.outputValues)))
                        return "outputValues: buffer expected";
                if (message.inputValues != null && $Object.hasOwnProperty.call(message, "inputValues"))
                    if (!(message.inputValues && typeof message.inputValues.length === "number" || $util.isString(message.inputValues)))
                        return "inputValues: buffer expected";
                if (message.outputVectors != null && $Object.hasOwnProperty.call(message, "outputVectors"))
                    if (!(message.outputVectors && typeof message.outputVectors.length === "number" || $util.isString(message.outputVectors)))
                        return "outputVectors: buffer expected";
                if (message.inputVectors != null && $Object.hasOwnProperty.call(message, "inputVectors"))
                    if (!(message.inputVectors && typeof message.inputVectors.length === "number" || $util.isString(message.inputVectors)))
                        return "inputVectors: buffer expected";
                return null;
            };

            /**
             * Creates a KroneckerBasis message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fisherd.v1.KroneckerBasis
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fisherd.v1.KroneckerBasis} KroneckerBasis
             */
            KroneckerBasis.fromObject = function (object, _depth) {
                if (object instanceof $root.fisherd.v1.KroneckerBasis)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fisherd.v1.KroneckerBasis: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fisherd.v1.KroneckerBasis();
                if (object.kind !== 0 && (typeof object.kind !== "string" || $root.fisherd.v1.Estimate.Kind[object.kind] !== 0))
                    switch (object.kind) {
                    case "KIND_UNSPECIFIED":
                    case 0:
                        message.kind = 0;
                        break;
                    case "KIND_EMPIRICAL_FISHER":
                    case 1:
                        message.kind = 1;
                        break;
                    case "KIND_FISHER":
                    case 2:
                        message.kind = 2;
                        break;
                    case "KIND_NOISE":
                    case 3:
                        message.kind = 3;
                        break;
                    default:
                        if (typeof object.kind === "number" && (object.kind | 0) === object.kind)
                            message.kind = object.kind;
                    }
                if (object.block != null)
                    if (typeof object.block !== "string" || object.block.length)
                        message.block = $String(object.block);
                if (object.version != null)
                    if ($Number(object.version) !== 0)
                        message.version = object.version >>> 0;
                if (object.outputs != null)
                    if ($Number(object.outputs) !== 0)
                        message.outputs = object.outputs >>> 0;
                if (object.inputOrder != null)
                    if ($Number(object.inputOrder) !== 0)
                        message.inputOrder = object.inputOrder >>> 0;
                if (object.outputValues != null)
                    if (object.outputValues.length)
                        if (typeof object.outputValues === "string")
                            $util.base64.decode(object.outputValues, message.outputValues = $util.newBuffer($util.base64.length(object.outputValues)), 0);
                        else if (object.outputValues.length >= 0)
                            message.outputValues = object.outputValues;
                if (object.inputValues != null)
                    if (object.inputValues.length)
                        if (typeof object.inputValues === "string")
                            $util.base64.decode(object.inputValues, message.inputValues = $util.newBuffer($util.base64.length(object.inputValues)), 0);
                        else if (object.inputValues.length >= 0)
                            message.inputValues = object.inputValues;
                if (object.outputVectors != null)
                    if (object.outputVectors.length)
                        if (typeof object.outputVectors === "string")
                            $util.base64.decode(object.outputVectors, message.outputVectors = $util.newBuffer($util.base64.length(object.outputVectors)), 0);
                        else if (object.outputVectors.length >= 0)
                            message.outputVectors = object.outputVectors;
                if (object.inputVectors != null)
                    if (object.inputVectors.length)
                        if (typeof object.inputVectors === "string")
                            $util.base64.decode(object.inputVectors, message.inputVectors = $util.newBuffer($util.base64.length(object.inputVectors)), 0);
                        else if (object.inputVectors.length >= 0)
                            message.inputVectors = object.inputVectors;
                return message;
            };

            /**
             * Creates a plain object from a KroneckerBasis message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fisherd.v1.KroneckerBasis
             * @static
             * @param {fisherd.v1.KroneckerBasis} message KroneckerBasis
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            KroneckerBasis.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.kind = options.enums === $String ? "KIND_UNSPECIFIED" : 0;
                    object.block = "";
                    object.version = 0;
                    object.outputs = 0;
                    object.inputOrder = 0;
                    if (options.bytes === $String)
                        object.outputValues = "";
                    else {
                        object.outputValues = [];
                        if (options.bytes !== $Array)
                            object.outputValues = $util.newBuffer(object.outputValues);
                    }
                    if (options.bytes === $String)
                        object.inputValues = "";
                    else {
                        object.inputValues = [];
                        if (options.bytes !== $Array)
                            object.inputValues = $util.newBuffer(object.inputValues);
                    }
                    if (options.bytes === $String)
                        object.outputVectors = "";
                    else {
                        object.outputVectors = [];
                        if (options.bytes !== $Array)
                            object.outputVectors = $util.newBuffer(object.outputVectors);
                    }
                    if (options.bytes === $String)
                        object.inputVectors = "";
                    else {
                        object.inputVectors = [];
                        if (options.bytes !== $Array)
                            object.inputVectors = $util.newBuffer(object.inputVectors);
                    }
                }
                if (message.kind != null && $Object.hasOwnProperty.call(message, "kind"))
                    object.kind = options.enums === $String ? $root.fisherd.v1.Estimate.Kind[message.kind] === $undefined ? message.kind : $root.fisherd.v1.Estimate.Kind[message.kind] : message.kind;
                if (message.block != null && $Object.hasOwnProperty.call(message, "block"))
                    object.block = message.block;
                if (message.version != null && $Object.hasOwnProperty.call(message, "version"))
                    object.version = message.version;
                if (message.outputs != null && $Object.hasOwnProperty.call(message, "outputs"))
                    object.outputs = message.outputs;
                if (message.inputOrder != null && $Object.hasOwnProperty.call(message, "inputOrder"))
                    object.inputOrder = message.inputOrder;
                if (message.outputValues != null && $Object.hasOwnProperty.call(message, "outputValues"))
                    object.outputValues = options.bytes === $String ? $util.base64.encode(message.outputValues, 0, message.outputValues.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.outputValues) : message.outputValues;
                if (message.inputValues != null && $Object.hasOwnProperty.call(message, "inputValues"))
                    object.inputValues = options.bytes === $String ? $util.base64.encode(message.inputValues, 0, message.inputValues.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.inputValues) : message.inputValues;
                if (message.outputVectors != null && $Object.hasOwnProperty.call(message, "outputVectors"))
                    object.outputVectors = options.bytes === $String ? $util.base64.encode(message.outputVectors, 0, message.outputVectors.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.outputVectors) : message.outputVectors;
                if (message.inputVectors != null && $Object.hasOwnProperty.call(message, "inputVectors"))
                    object.inputVectors = options.bytes === $String ? $util.base64.encode(message.inputVectors, 0, message.inputVectors.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.inputVectors) : message.inputVectors;
                return object;
            };

            /**
             * Converts this KroneckerBasis to JSON.
             * @function toJSON
             * @memberof fisherd.v1.KroneckerBasis
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            KroneckerBasis.prototype.toJSON = function() {
                return KroneckerBasis.toObject(this, $protobuf.util.toJSONOptions);
            };

            return KroneckerBasis;
        })();

        v1.Estimate = (function() {

            /**
             * Properties of an Estimate.
             * @typedef {Object} fisherd.v1.Estimate.$Properties
             * @property {fisherd.v1.Estimate.Kind|null} [kind] Estimate kind
             * @property {Uint8Array|null} [diagonal] The bias-corrected diagonal over the requested range, little-endian float64 (only with include_diagonals). float64 so that
             * a resumed session can be compared bit for bit.
             * @property {Array.<number>|null} [topEigenvalues] The largest eigenvalues, descending.
             * @property {number|null} [trace] The trace.
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an Estimate.
             * @memberof fisherd.v1
             * @interface IEstimate
             * @augments fisherd.v1.Estimate.$Properties
             * @deprecated Use fisherd.v1.Estimate.$Properties instead.
             */

            /**
             * Shape of an Estimate.
             * @typedef {fisherd.v1.Estimate.$Properties} fisherd.v1.Estimate.$Shape
             */

            /**
             * Constructs a new Estimate.
             * @memberof fisherd.v1
             * @classdesc Represents an Estimate.
             * @constructor
             * @param {fisherd.v1.Estimate.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Estimate = function (properties) {
                this.topEigenvalues = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Estimate kind.
             * @member {fisherd.v1.Estimate.Kind} kind
             * @memberof fisherd.v1.Estimate
             * @instance
             */
            Estimate.prototype.kind = 0;

            /**
             * The bias-corrected diagonal over the requested range, little-endian float64 (only with include_diagonals). float64 so that
             * a resumed session can be compared bit for bit.
             * @member {Uint8Array} diagonal
             * @memberof fisherd.v1.Estimate
             * @instance
             */
            Estimate.prototype.diagonal = $util.newBuffer([]);

            /**
             * The largest eigenvalues, descending.
             * @member {Array.<number>} topEigenvalues
             * @memberof fisherd.v1.Estimate
             * @instance
             */
            Estimate.prototype.topEigenvalues = $util.emptyArray;

            /**
             * The trace.
             * @member {number} trace
             * @memberof fisherd.v1.Estimate
             * @instance
             */
            Estimate.prototype.trace = 0;

            /**
             * Creates a new Estimate instance using the specified properties.
             * @function create
             * @memberof fisherd.v1.Estimate
             * @static
             * @param {fisherd.v1.Estimate.$Properties=} [properties] Properties to set
             * @returns {fisherd.v1.Estimate} Estimate instance
             * @type {{
             *   (properties: fisherd.v1.Estimate.$Shape): fisherd.v1.Estimate & fisherd.v1.Estimate.$Shape;
             *   (properties?: fisherd.v1.Estimate.$Properties): fisherd.v1.Estimate;
             * }}
             */
            Estimate.create = function(properties) {
                return new Estimate(properties);
            };

            /**
             * Encodes the specified Estimate message. Does not implicitly {@link fisherd.v1.Estimate.verify|verify} messages.
             * @function encode
             * @memberof fisherd.v1.Estimate
             * @static
             * @param {fisherd.v1.Estimate.$Properties} message Estimate message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Estimate.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.kind != null && $Object.hasOwnProperty.call(message, "kind") && message.kind !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).int32(message.kind);
                if (message.diagonal != null && $Object.hasOwnProperty.call(message, "diagonal") && message.diagonal.length)
                    writer.uint32(/* id 2, wireType 2 =*/18).bytes(message.diagonal);
                if (message.topEigenvalues != null && message.topEigenvalues.length)
                    writer.uint32(/* id 3, wireType 2 =*/26).doubles(message.topEigenvalues);
                if (message.trace != null && $Object.hasOwnProperty.call(message, "trace") && !$Object.is(message.trace, 0))
                    writer.uint32(/* id 4, wireType 1 =*/33).double(message.trace);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes an Estimate message from the specified reader or buffer.
             * @function decode
             * @memberof fisherd.v1.Estimate
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fisherd.v1.Estimate & fisherd.v1.Estimate.$Shape} Estimate
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Estimate.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fisherd.v1.Estimate();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.kind = value;
                            else
                                delete message.kind;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.diagonal = value;
                            else
                                delete message.diagonal;
                            continue;
                        }
                    case 3: {
                            if (wireType === 2) {
                                if (!(message.topEigenvalues && message.topEigenvalues.length))
                                    message.topEigenvalues = [];
                                reader.doubles(message.topEigenvalues);
                                continue;
                            }
                            if (wireType !== 1)
                                break;
                            if (!(message.topEigenvalues && message.topEigenvalues.length))
                                message.topEigenvalues = [];
                            message.topEigenvalues.push(reader.double());
                            continue;
                        }
                    case 4: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.trace = value;
                            else
                                delete message.trace;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies an Estimate message.
             * @function verify
             * @memberof fisherd.v1.Estimate
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            Estimate.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.kind != null && $Object.hasOwnProperty.call(message, "kind"))
                    if (typeof message.kind !== "number" || (message.kind | 0) !== message.kind)
                        return "kind: enum value expected";
                if (message.diagonal != null && $Object.hasOwnProperty.call(message, "diagonal"))
                    if (!(message.diagonal && typeof message.diagonal.length === "number" || $util.isString(message.diagonal)))
                        return "diagonal: buffer expected";
                if (message.topEigenvalues != null && $Object.hasOwnProperty.call(message, "topEigenvalues")) {
                    if (!$Array.isArray(message.topEigenvalues))
                        return "topEigenvalues: array expected";
                    for (let i = 0; i < message.topEigenvalues.length; ++i)
                        if (typeof message.topEigenvalues[i] !== "number")
                            return "topEigenvalues: number[] expected";
                }
                if (message.trace != null && $Object.hasOwnProperty.call(message, "trace"))
                    if (typeof message.trace !== "number")
                        return "trace: number expected";
                return null;
            };

            /**
             * Creates an Estimate message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fisherd.v1.Estimate
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fisherd.v1.Estimate} Estimate
             */
            Estimate.fromObject = function (object, _depth) {
                if (object instanceof $root.fisherd.v1.Estimate)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fisherd.v1.Estimate: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fisherd.v1.Estimate();
                if (object.kind !== 0 && (typeof object.kind !== "string" || $root.fisherd.v1.Estimate.Kind[object.kind] !== 0))
                    switch (object.kind) {
                    case "KIND_UNSPECIFIED":
                    case 0:
                        message.kind = 0;
                        break;
                    case "KIND_EMPIRICAL_FISHER":
                    case 1:
                        message.kind = 1;
                        break;
                    case "KIND_FISHER":
                    case 2:
                        message.kind = 2;
                        break;
                    case "KIND_NOISE":
                    case 3:
                        message.kind = 3;
                        break;
                    default:
                        if (typeof object.kind === "number" && (object.kind | 0) === object.kind)
                            message.kind = object.kind;
                    }
                if (object.diagonal != null)
                    if (object.diagonal.length)
                        if (typeof object.diagonal === "string")
                            $util.base64.decode(object.diagonal, message.diagonal = $util.newBuffer($util.base64.length(object.diagonal)), 0);
                        else if (object.diagonal.length >= 0)
                            message.diagonal = object.diagonal;
                if (object.topEigenvalues) {
                    if (!$Array.isArray(object.topEigenvalues))
                        throw $TypeError(".fisherd.v1.Estimate.topEigenvalues: array expected");
                    message.topEigenvalues = $Array(object.topEigenvalues.length);
                    for (let i = 0; i < object.topEigenvalues.length; ++i)
                        message.topEigenvalues[i] = $Number(object.topEigenvalues[i]);
                }
                if (object.trace != null)
                    if (!$Object.is($Number(object.trace), 0))
                        message.trace = $Number(object.trace);
                return message;
            };

            /**
             * Creates a plain object from an Estimate message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fisherd.v1.Estimate
             * @static
             * @param {fisherd.v1.Estimate} message Estimate
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Estimate.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.arrays || options.defaults)
                    object.topEigenvalues = [];
                if (options.defaults) {
                    object.kind = options.enums === $String ? "KIND_UNSPECIFIED" : 0;
                    if (options.bytes === $String)
                        object.diagonal = "";
                    else {
                        object.diagonal = [];
                        if (options.bytes !== $Array)
                            object.diagonal = $util.newBuffer(object.diagonal);
                    }
                    object.trace = 0;
                }
                if (message.kind != null && $Object.hasOwnProperty.call(message, "kind"))
                    object.kind = options.enums === $String ? $root.fisherd.v1.Estimate.Kind[message.kind] === $undefined ? message.kind : $root.fisherd.v1.Estimate.Kind[message.kind] : message.kind;
                if (message.diagonal != null && $Object.hasOwnProperty.call(message, "diagonal"))
                    object.diagonal = options.bytes === $String ? $util.base64.encode(message.diagonal, 0, message.diagonal.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.diagonal) : message.diagonal;
                if (message.topEigenvalues && message.topEigenvalues.length) {
                    object.topEigenvalues = $Array(message.topEigenvalues.length);
                    for (let j = 0; j < message.topEigenvalues.length; ++j)
                        object.topEigenvalues[j] = options.json && !$isFinite(message.topEigenvalues[j]) ? $String(message.topEigenvalues[j]) : message.topEigenvalues[j];
                }
                if (message.trace != null && $Object.hasOwnProperty.call(message, "trace"))
                    object.trace = options.json && !$isFinite(message.trace) ? $String(message.trace) : message.trace;
                return object;
            };

            /**
             * Converts this Estimate to JSON.
             * @function toJSON
             * @memberof fisherd.v1.Estimate
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Estimate.prototype.toJSON = function() {
                return Estimate.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Kind enum.
             * @name fisherd.v1.Estimate.Kind
             * @enum {number}
             * @property {number} KIND_UNSPECIFIED=0 KIND_UNSPECIFIED value
             * @property {number} KIND_EMPIRICAL_FISHER=1 Ẽ
             * @property {number} KIND_FISHER=2 F (sampled labels or exact factors)
             * @property {number} KIND_NOISE=3 S = C/b
             */
            Estimate.Kind = (function() {
                const valuesById = $Object.create(null), values = $Object.create(valuesById);
                values[valuesById[0] = "KIND_UNSPECIFIED"] = 0;
                values[valuesById[1] = "KIND_EMPIRICAL_FISHER"] = 1;
                values[valuesById[2] = "KIND_FISHER"] = 2;
                values[valuesById[3] = "KIND_NOISE"] = 3;
                return values;
            })();

            return Estimate;
        })();

        v1.SessionClosed = (function() {

            /**
             * Properties of a SessionClosed.
             * @typedef {Object} fisherd.v1.SessionClosed.$Properties
             * @property {string|null} [sessionId] SessionClosed sessionId
             * @property {number|null} [step] The step the session's checkpoint on disk holds, i.e. where a resume after a restart continues
             * (0 when none is written yet). When this connection was the session's last, the daemon checkpoints
             * before answering, so this is the last completed step unless that checkpoint failed (the reply is
             * then preceded by an Error CHECKPOINT_FAILED carrying the same step). With `discard`: the last
             * completed step (nothing stays on disk).
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a SessionClosed.
             * @memberof fisherd.v1
             * @interface ISessionClosed
             * @augments fisherd.v1.SessionClosed.$Properties
             * @deprecated Use fisherd.v1.SessionClosed.$Properties instead.
             */

            /**
             * Shape of a SessionClosed.
             * @typedef {fisherd.v1.SessionClosed.$Properties} fisherd.v1.SessionClosed.$Shape
             */

            /**
             * Constructs a new SessionClosed.
             * @memberof fisherd.v1
             * @classdesc Represents a SessionClosed.
             * @constructor
             * @param {fisherd.v1.SessionClosed.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const SessionClosed = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * SessionClosed sessionId.
             * @member {string} sessionId
             * @memberof fisherd.v1.SessionClosed
             * @instance
             */
            SessionClosed.prototype.sessionId = "";

            /**
             * The step the session's checkpoint on disk holds, i.e. where a resume after a restart continues
             * (0 when none is written yet). When this connection was the session's last, the daemon checkpoints
             * before answering, so this is the last completed step unless that checkpoint failed (the reply is
             * then preceded by an Error CHECKPOINT_FAILED carrying the same step). With `discard`: the last
             * completed step (nothing stays on disk).
             * @member {number} step
             * @memberof fisherd.v1.SessionClosed
             * @instance
             */
            SessionClosed.prototype.step = 0;

            /**
             * Creates a new SessionClosed instance using the specified properties.
             * @function create
             * @memberof fisherd.v1.SessionClosed
             * @static
             * @param {fisherd.v1.SessionClosed.$Properties=} [properties] Properties to set
             * @returns {fisherd.v1.SessionClosed} SessionClosed instance
             * @type {{
             *   (properties: fisherd.v1.SessionClosed.$Shape): fisherd.v1.SessionClosed & fisherd.v1.SessionClosed.$Shape;
             *   (properties?: fisherd.v1.SessionClosed.$Properties): fisherd.v1.SessionClosed;
             * }}
             */
            SessionClosed.create = function(properties) {
                return new SessionClosed(properties);
            };

            /**
             * Encodes the specified SessionClosed message. Does not implicitly {@link fisherd.v1.SessionClosed.verify|verify} messages.
             * @function encode
             * @memberof fisherd.v1.SessionClosed
             * @static
             * @param {fisherd.v1.SessionClosed.$Properties} message SessionClosed message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            SessionClosed.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.sessionId != null && $Object.hasOwnProperty.call(message, "sessionId") && message.sessionId !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.sessionId);
                if (message.step != null && $Object.hasOwnProperty.call(message, "step") && message.step !== 0)
                    writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.step);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a SessionClosed message from the specified reader or buffer.
             * @function decode
             * @memberof fisherd.v1.SessionClosed
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fisherd.v1.SessionClosed & fisherd.v1.SessionClosed.$Shape} SessionClosed
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            SessionClosed.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fisherd.v1.SessionClosed();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.sessionId = value;
                            else
                                delete message.sessionId;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.step = value;
                            else
                                delete message.step;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a SessionClosed message.
             * @function verify
             * @memberof fisherd.v1.SessionClosed
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            SessionClosed.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.sessionId != null && $Object.hasOwnProperty.call(message, "sessionId"))
                    if (!$util.isString(message.sessionId))
                        return "sessionId: string expected";
                if (message.step != null && $Object.hasOwnProperty.call(message, "step"))
                    if (!$util.isInteger(message.step))
                        return "step: integer expected";
                return null;
            };

            /**
             * Creates a SessionClosed message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof fisherd.v1.SessionClosed
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {fisherd.v1.SessionClosed} SessionClosed
             */
            SessionClosed.fromObject = function (object, _depth) {
                if (object instanceof $root.fisherd.v1.SessionClosed)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".fisherd.v1.SessionClosed: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.fisherd.v1.SessionClosed();
                if (object.sessionId != null)
                    if (typeof object.sessionId !== "string" || object.sessionId.length)
                        message.sessionId = $String(object.sessionId);
                if (object.step != null)
                    if ($Number(object.step) !== 0)
                        message.step = object.step >>> 0;
                return message;
            };

            /**
             * Creates a plain object from a SessionClosed message. Also converts values to other types if specified.
             * @function toObject
             * @memberof fisherd.v1.SessionClosed
             * @static
             * @param {fisherd.v1.SessionClosed} message SessionClosed
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            SessionClosed.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.sessionId = "";
                    object.step = 0;
                }
                if (message.sessionId != null && $Object.hasOwnProperty.call(message, "sessionId"))
                    object.sessionId = message.sessionId;
                if (message.step != null && $Object.hasOwnProperty.call(message, "step"))
                    object.step = message.step;
                return object;
            };

            /**
             * Converts this SessionClosed to JSON.
             * @function toJSON
             * @memberof fisherd.v1.SessionClosed
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            SessionClosed.prototype.toJSON = function() {
                return SessionClosed.toObject(this, $protobuf.util.toJSONOptions);
            };

            return SessionClosed;
        })();

        return v1;
    })();

    return fisherd;
})();

export {
  $root as default
};
