import * as $protobuf from "protobufjs";
import Long = require("long");

/** Namespace fisherd. */
export namespace fisherd {

    /** Namespace v1. */
    namespace v1 {

        /**
         * The protocol version this schema describes. A client sends it in Hello; the daemon refuses any other
         * with Error{code: ERROR_CODE_UNSUPPORTED_VERSION} and closes the connection with 1002.
         */
        enum ProtocolVersion {

            /** PROTOCOL_VERSION_UNSPECIFIED value */
            PROTOCOL_VERSION_UNSPECIFIED = 0,

            /** PROTOCOL_VERSION_CURRENT value */
            PROTOCOL_VERSION_CURRENT = 1
        }

        /**
         * Properties of a ClientMessage.
         * @deprecated Use fisherd.v1.ClientMessage.$Properties instead.
         */
        interface IClientMessage extends fisherd.v1.ClientMessage.$Properties {
        }

        /** Represents a ClientMessage. */
        class ClientMessage {

            /**
             * Constructs a new ClientMessage.
             * @param [properties] Properties to set
             */
            constructor(properties?: fisherd.v1.ClientMessage.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /**
             * Chosen by the client and echoed as `ServerMessage.request_id` in the reply (or error) this message
             * causes, so that a client can match replies to requests. 0 = none.
             */
            requestId: number;

            /** ClientMessage hello. */
            hello?: (fisherd.v1.Hello.$Properties|null);

            /** ClientMessage openSession. */
            openSession?: (fisherd.v1.OpenSession.$Properties|null);

            /** ClientMessage step. */
            step?: (fisherd.v1.StepContribution.$Properties|null);

            /** ClientMessage estimatesRequest. */
            estimatesRequest?: (fisherd.v1.EstimatesRequest.$Properties|null);

            /** ClientMessage closeSession. */
            closeSession?: (fisherd.v1.CloseSession.$Properties|null);

            /** ClientMessage sharedMemoryOffer. */
            sharedMemoryOffer?: (fisherd.v1.SharedMemoryOffer.$Properties|null);

            /** Only after SharedMemoryAccepted: the message is in the request file. */
            messageRef?: (fisherd.v1.MessageRef.$Properties|null);

            /** ClientMessage kind. */
            kind?: ("hello"|"openSession"|"step"|"estimatesRequest"|"closeSession"|"sharedMemoryOffer"|"messageRef");

            /**
             * Creates a new ClientMessage instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ClientMessage instance
             */
            static create(properties: fisherd.v1.ClientMessage.$Shape): fisherd.v1.ClientMessage & fisherd.v1.ClientMessage.$Shape;
            static create(properties?: fisherd.v1.ClientMessage.$Properties): fisherd.v1.ClientMessage;

            /**
             * Encodes the specified ClientMessage message. Does not implicitly {@link fisherd.v1.ClientMessage.verify|verify} messages.
             * @param message ClientMessage message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fisherd.v1.ClientMessage.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ClientMessage message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fisherd.v1.ClientMessage & fisherd.v1.ClientMessage.$Shape} ClientMessage
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.ClientMessage & fisherd.v1.ClientMessage.$Shape;

            /**
             * Verifies a ClientMessage message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a ClientMessage message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns ClientMessage
             */
            static fromObject(object: { [k: string]: any }): fisherd.v1.ClientMessage;

            /**
             * Creates a plain object from a ClientMessage message. Also converts values to other types if specified.
             * @param message ClientMessage
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fisherd.v1.ClientMessage, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this ClientMessage to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace ClientMessage {

            /** Properties of a ClientMessage. */
            interface $Properties {

                /**
                 * Chosen by the client and echoed as `ServerMessage.request_id` in the reply (or error) this message
                 * causes, so that a client can match replies to requests. 0 = none.
                 */
                requestId?: (number|null);

                /** ClientMessage hello */
                hello?: (fisherd.v1.Hello.$Properties|null);

                /** ClientMessage openSession */
                openSession?: (fisherd.v1.OpenSession.$Properties|null);

                /** ClientMessage step */
                step?: (fisherd.v1.StepContribution.$Properties|null);

                /** ClientMessage estimatesRequest */
                estimatesRequest?: (fisherd.v1.EstimatesRequest.$Properties|null);

                /** ClientMessage closeSession */
                closeSession?: (fisherd.v1.CloseSession.$Properties|null);

                /** ClientMessage sharedMemoryOffer */
                sharedMemoryOffer?: (fisherd.v1.SharedMemoryOffer.$Properties|null);

                /** Only after SharedMemoryAccepted: the message is in the request file. */
                messageRef?: (fisherd.v1.MessageRef.$Properties|null);

                /** ClientMessage kind */
                kind?: ("hello"|"openSession"|"step"|"estimatesRequest"|"closeSession"|"sharedMemoryOffer"|"messageRef");

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Narrowed shape of a ClientMessage. */
            type $Shape = {
              requestId?: number|null;
              hello?: fisherd.v1.Hello.$Shape|null;
              openSession?: fisherd.v1.OpenSession.$Shape|null;
              step?: fisherd.v1.StepContribution.$Shape|null;
              estimatesRequest?: fisherd.v1.EstimatesRequest.$Shape|null;
              closeSession?: fisherd.v1.CloseSession.$Shape|null;
              sharedMemoryOffer?: fisherd.v1.SharedMemoryOffer.$Shape|null;
              messageRef?: fisherd.v1.MessageRef.$Shape|null;
              $unknowns?: Uint8Array[];
            } & (
              ({ kind?: undefined; hello?: null; openSession?: null; step?: null; estimatesRequest?: null; closeSession?: null; sharedMemoryOffer?: null; messageRef?: null }|{ kind?: "hello"; hello: fisherd.v1.Hello.$Shape; openSession?: null; step?: null; estimatesRequest?: null; closeSession?: null; sharedMemoryOffer?: null; messageRef?: null }|{ kind?: "openSession"; hello?: null; openSession: fisherd.v1.OpenSession.$Shape; step?: null; estimatesRequest?: null; closeSession?: null; sharedMemoryOffer?: null; messageRef?: null }|{ kind?: "step"; hello?: null; openSession?: null; step: fisherd.v1.StepContribution.$Shape; estimatesRequest?: null; closeSession?: null; sharedMemoryOffer?: null; messageRef?: null }|{ kind?: "estimatesRequest"; hello?: null; openSession?: null; step?: null; estimatesRequest: fisherd.v1.EstimatesRequest.$Shape; closeSession?: null; sharedMemoryOffer?: null; messageRef?: null }|{ kind?: "closeSession"; hello?: null; openSession?: null; step?: null; estimatesRequest?: null; closeSession: fisherd.v1.CloseSession.$Shape; sharedMemoryOffer?: null; messageRef?: null }|{ kind?: "sharedMemoryOffer"; hello?: null; openSession?: null; step?: null; estimatesRequest?: null; closeSession?: null; sharedMemoryOffer: fisherd.v1.SharedMemoryOffer.$Shape; messageRef?: null }|{ kind?: "messageRef"; hello?: null; openSession?: null; step?: null; estimatesRequest?: null; closeSession?: null; sharedMemoryOffer?: null; messageRef: fisherd.v1.MessageRef.$Shape })
            );
        }

        /**
         * Properties of a Hello.
         * @deprecated Use fisherd.v1.Hello.$Properties instead.
         */
        interface IHello extends fisherd.v1.Hello.$Properties {
        }

        /** The first message on every connection. */
        class Hello {

            /**
             * Constructs a new Hello.
             * @param [properties] Properties to set
             */
            constructor(properties?: fisherd.v1.Hello.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Must equal PROTOCOL_VERSION_CURRENT (1). */
            protocolVersion: number;

            /**
             * Optional. The bearer token is checked on the HTTP upgrade (`Authorization: Bearer <token>`); when this
             * field is set as well, it must also match (a client can assert it reached the daemon it was configured for).
             */
            token: string;

            /** Free-form name of the client, for logs (e.g. "train.py worker 3"). */
            clientName: string;

            /**
             * Creates a new Hello instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Hello instance
             */
            static create(properties: fisherd.v1.Hello.$Shape): fisherd.v1.Hello & fisherd.v1.Hello.$Shape;
            static create(properties?: fisherd.v1.Hello.$Properties): fisherd.v1.Hello;

            /**
             * Encodes the specified Hello message. Does not implicitly {@link fisherd.v1.Hello.verify|verify} messages.
             * @param message Hello message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fisherd.v1.Hello.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Hello message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fisherd.v1.Hello & fisherd.v1.Hello.$Shape} Hello
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.Hello & fisherd.v1.Hello.$Shape;

            /**
             * Verifies a Hello message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a Hello message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns Hello
             */
            static fromObject(object: { [k: string]: any }): fisherd.v1.Hello;

            /**
             * Creates a plain object from a Hello message. Also converts values to other types if specified.
             * @param message Hello
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fisherd.v1.Hello, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Hello to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace Hello {

            /** Properties of a Hello. */
            interface $Properties {

                /** Must equal PROTOCOL_VERSION_CURRENT (1). */
                protocolVersion?: (number|null);

                /**
                 * Optional. The bearer token is checked on the HTTP upgrade (`Authorization: Bearer <token>`); when this
                 * field is set as well, it must also match (a client can assert it reached the daemon it was configured for).
                 */
                token?: (string|null);

                /** Free-form name of the client, for logs (e.g. "train.py worker 3"). */
                clientName?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Hello. */
            type $Shape = fisherd.v1.Hello.$Properties;
        }

        /**
         * Properties of an OpenSession.
         * @deprecated Use fisherd.v1.OpenSession.$Properties instead.
         */
        interface IOpenSession extends fisherd.v1.OpenSession.$Properties {
        }

        /**
         * Creates a session (no session_id) or attaches to an existing one (session_id set): a worker joining a
         * running session, a client reconnecting, or a client resuming after a daemon restart from the last
         * checkpoint in the daemon's data directory.
         */
        class OpenSession {

            /**
             * Constructs a new OpenSession.
             * @param [properties] Properties to set
             */
            constructor(properties?: fisherd.v1.OpenSession.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /**
             * Required when creating; ignored when attaching (the session keeps its own configuration, returned
             * in SessionOpened.config).
             */
            config?: (fisherd.v1.SessionConfig.$Properties|null);

            /** The session to attach to; empty creates a new session. */
            sessionId: string;

            /**
             * Creates a new OpenSession instance using the specified properties.
             * @param [properties] Properties to set
             * @returns OpenSession instance
             */
            static create(properties: fisherd.v1.OpenSession.$Shape): fisherd.v1.OpenSession & fisherd.v1.OpenSession.$Shape;
            static create(properties?: fisherd.v1.OpenSession.$Properties): fisherd.v1.OpenSession;

            /**
             * Encodes the specified OpenSession message. Does not implicitly {@link fisherd.v1.OpenSession.verify|verify} messages.
             * @param message OpenSession message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fisherd.v1.OpenSession.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an OpenSession message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fisherd.v1.OpenSession & fisherd.v1.OpenSession.$Shape} OpenSession
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.OpenSession & fisherd.v1.OpenSession.$Shape;

            /**
             * Verifies an OpenSession message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates an OpenSession message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns OpenSession
             */
            static fromObject(object: { [k: string]: any }): fisherd.v1.OpenSession;

            /**
             * Creates a plain object from an OpenSession message. Also converts values to other types if specified.
             * @param message OpenSession
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fisherd.v1.OpenSession, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this OpenSession to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace OpenSession {

            /** Properties of an OpenSession. */
            interface $Properties {

                /**
                 * Required when creating; ignored when attaching (the session keeps its own configuration, returned
                 * in SessionOpened.config).
                 */
                config?: (fisherd.v1.SessionConfig.$Properties|null);

                /** The session to attach to; empty creates a new session. */
                sessionId?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of an OpenSession. */
            type $Shape = {
              config?: fisherd.v1.SessionConfig.$Shape|null;
              sessionId?: string|null;
              $unknowns?: Uint8Array[];
            };
        }

        /**
         * Properties of a StepContribution.
         * @deprecated Use fisherd.v1.StepContribution.$Properties instead.
         */
        interface IStepContribution extends fisherd.v1.StepContribution.$Properties {
        }

        /**
         * One worker's share of one optimization step. With W workers, the daemon waits for all W contributions
         * of a step, merges them weighted by batch size (sample count), computes one update and sends it to
         * every worker. A step that fails validation changes nothing in the session.
         */
        class StepContribution {

            /**
             * Constructs a new StepContribution.
             * @param [properties] Properties to set
             */
            constructor(properties?: fisherd.v1.StepContribution.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Index of the step, starting at 1; must be the session's next step (last completed step + 1). */
            step: number;

            /** 0 <= worker_id < SessionConfig.workers; each worker contributes once per step. */
            workerId: number;

            /** This worker's minibatch loss (as a mean over its examples), for diagnostics only. */
            loss?: (number|null);

            /** b_w, the number of examples in this worker's share of the minibatch (>= 1). */
            batchSize: number;

            /**
             * How the client reduced its loss over the batch before differentiating (required); fisherd rescales
             * the rows to math.md's per-example scale (see Reduction and src/session/contribution.ts).
             */
            reduction: fisherd.v1.Reduction;

            /**
             * Per-example gradients g_n: batch_size rows of D, row-major little-endian float32
             * (4·batch_size·D bytes).
             */
            perExampleGrads: Uint8Array;

            /** Gradients for labels sampled from the model, K per example: batch_size·K rows of D (example-major). */
            sampledLabelGrads?: (fisherd.v1.SampledLabelGrads.$Properties|null);

            /** Exact Fisher (GGN) factor rows u_{n,c} = J_nᵀ (H_n^{1/2})_{:,c}, C per example: batch_size·C rows of D. */
            fisherFactorRows?: (fisherd.v1.FisherFactorRows.$Properties|null);

            /**
             * The minibatch mean gradient ḡ alone (D floats, little-endian float32), for SGD-type optimizers when
             * no per-example rows are sent. Ignored when per_example_grads is present (ḡ is then their mean).
             */
            meanGrad: Uint8Array;

            /**
             * Optional current parameters θ (D floats, little-endian float32), for optimizers that use them
             * (weight decay).
             */
            params: Uint8Array;

            /**
             * Statistics computed by the client from its rows instead of the rows themselves (docs/math.md,
             * "Statistics contributions"): D-vectors of sums per parameter block, b_w-independent in size. A
             * contribution sends either rows (fields 6–9) or statistics, and every worker of a step sends the same
             * kind. Each parameter block appears at most once; together the entries cover all D parameters, either
             * as one entry with an empty `block` (the whole vector) or one per SessionConfig block. Old clients never
             * set this field and are served as before.
             */
            statistics: fisherd.v1.BlockStatistics.$Properties[];

            /**
             * Damping adaptation (OptimizerConfig.damping_adaptation; docs/math.md, "Damping adaptation"): the loss
             * of this worker's batch of the PREVIOUS step (mean over its examples), evaluated at the parameters after
             * the previous step's update, L(θ_{t−1} + Δ_{t−1}). Optional: a step whose workers do not all send it
             * skips that adaptation; sessions without adaptation ignore it. Must be finite.
             */
            lossAfterPreviousUpdate?: (number|null);

            /**
             * Creates a new StepContribution instance using the specified properties.
             * @param [properties] Properties to set
             * @returns StepContribution instance
             */
            static create(properties: fisherd.v1.StepContribution.$Shape): fisherd.v1.StepContribution & fisherd.v1.StepContribution.$Shape;
            static create(properties?: fisherd.v1.StepContribution.$Properties): fisherd.v1.StepContribution;

            /**
             * Encodes the specified StepContribution message. Does not implicitly {@link fisherd.v1.StepContribution.verify|verify} messages.
             * @param message StepContribution message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fisherd.v1.StepContribution.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a StepContribution message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fisherd.v1.StepContribution & fisherd.v1.StepContribution.$Shape} StepContribution
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.StepContribution & fisherd.v1.StepContribution.$Shape;

            /**
             * Verifies a StepContribution message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a StepContribution message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns StepContribution
             */
            static fromObject(object: { [k: string]: any }): fisherd.v1.StepContribution;

            /**
             * Creates a plain object from a StepContribution message. Also converts values to other types if specified.
             * @param message StepContribution
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fisherd.v1.StepContribution, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this StepContribution to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace StepContribution {

            /** Properties of a StepContribution. */
            interface $Properties {

                /** Index of the step, starting at 1; must be the session's next step (last completed step + 1). */
                step?: (number|null);

                /** 0 <= worker_id < SessionConfig.workers; each worker contributes once per step. */
                workerId?: (number|null);

                /** This worker's minibatch loss (as a mean over its examples), for diagnostics only. */
                loss?: (number|null);

                /** b_w, the number of examples in this worker's share of the minibatch (>= 1). */
                batchSize?: (number|null);

                /**
                 * How the client reduced its loss over the batch before differentiating (required); fisherd rescales
                 * the rows to math.md's per-example scale (see Reduction and src/session/contribution.ts).
                 */
                reduction?: (fisherd.v1.Reduction|null);

                /**
                 * Per-example gradients g_n: batch_size rows of D, row-major little-endian float32
                 * (4·batch_size·D bytes).
                 */
                perExampleGrads?: (Uint8Array|null);

                /** Gradients for labels sampled from the model, K per example: batch_size·K rows of D (example-major). */
                sampledLabelGrads?: (fisherd.v1.SampledLabelGrads.$Properties|null);

                /** Exact Fisher (GGN) factor rows u_{n,c} = J_nᵀ (H_n^{1/2})_{:,c}, C per example: batch_size·C rows of D. */
                fisherFactorRows?: (fisherd.v1.FisherFactorRows.$Properties|null);

                /**
                 * The minibatch mean gradient ḡ alone (D floats, little-endian float32), for SGD-type optimizers when
                 * no per-example rows are sent. Ignored when per_example_grads is present (ḡ is then their mean).
                 */
                meanGrad?: (Uint8Array|null);

                /**
                 * Optional current parameters θ (D floats, little-endian float32), for optimizers that use them
                 * (weight decay).
                 */
                params?: (Uint8Array|null);

                /**
                 * Statistics computed by the client from its rows instead of the rows themselves (docs/math.md,
                 * "Statistics contributions"): D-vectors of sums per parameter block, b_w-independent in size. A
                 * contribution sends either rows (fields 6–9) or statistics, and every worker of a step sends the same
                 * kind. Each parameter block appears at most once; together the entries cover all D parameters, either
                 * as one entry with an empty `block` (the whole vector) or one per SessionConfig block. Old clients never
                 * set this field and are served as before.
                 */
                statistics?: (fisherd.v1.BlockStatistics.$Properties[]|null);

                /**
                 * Damping adaptation (OptimizerConfig.damping_adaptation; docs/math.md, "Damping adaptation"): the loss
                 * of this worker's batch of the PREVIOUS step (mean over its examples), evaluated at the parameters after
                 * the previous step's update, L(θ_{t−1} + Δ_{t−1}). Optional: a step whose workers do not all send it
                 * skips that adaptation; sessions without adaptation ignore it. Must be finite.
                 */
                lossAfterPreviousUpdate?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a StepContribution. */
            type $Shape = {
              step?: number|null;
              workerId?: number|null;
              loss?: number|null;
              batchSize?: number|null;
              reduction?: fisherd.v1.Reduction|null;
              perExampleGrads?: Uint8Array|null;
              sampledLabelGrads?: fisherd.v1.SampledLabelGrads.$Shape|null;
              fisherFactorRows?: fisherd.v1.FisherFactorRows.$Shape|null;
              meanGrad?: Uint8Array|null;
              params?: Uint8Array|null;
              statistics?: fisherd.v1.BlockStatistics.$Shape[]|null;
              lossAfterPreviousUpdate?: number|null;
              $unknowns?: Uint8Array[];
            };
        }

        /**
         * Properties of a BlockStatistics.
         * @deprecated Use fisherd.v1.BlockStatistics.$Properties instead.
         */
        interface IBlockStatistics extends fisherd.v1.BlockStatistics.$Properties {
        }

        /**
         * One parameter block's statistics. The kind may differ from block to block: diagonal moments for
         * diagonal blocks (and for any block of a session that tracks no estimate), Kronecker statistics for
         * KIND_KRONECKER blocks.
         */
        class BlockStatistics {

            /**
             * Constructs a new BlockStatistics.
             * @param [properties] Properties to set
             */
            constructor(properties?: fisherd.v1.BlockStatistics.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** The SessionConfig block's name; empty = the whole parameter vector (then the only entry). */
            block: string;

            /** BlockStatistics diagonal. */
            diagonal?: (fisherd.v1.DiagonalMoments.$Properties|null);

            /** BlockStatistics kronecker. */
            kronecker?: (fisherd.v1.KroneckerStatistics.$Properties|null);

            /** BlockStatistics kind. */
            kind?: ("diagonal"|"kronecker");

            /**
             * Creates a new BlockStatistics instance using the specified properties.
             * @param [properties] Properties to set
             * @returns BlockStatistics instance
             */
            static create(properties: fisherd.v1.BlockStatistics.$Shape): fisherd.v1.BlockStatistics & fisherd.v1.BlockStatistics.$Shape;
            static create(properties?: fisherd.v1.BlockStatistics.$Properties): fisherd.v1.BlockStatistics;

            /**
             * Encodes the specified BlockStatistics message. Does not implicitly {@link fisherd.v1.BlockStatistics.verify|verify} messages.
             * @param message BlockStatistics message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fisherd.v1.BlockStatistics.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a BlockStatistics message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fisherd.v1.BlockStatistics & fisherd.v1.BlockStatistics.$Shape} BlockStatistics
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.BlockStatistics & fisherd.v1.BlockStatistics.$Shape;

            /**
             * Verifies a BlockStatistics message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a BlockStatistics message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns BlockStatistics
             */
            static fromObject(object: { [k: string]: any }): fisherd.v1.BlockStatistics;

            /**
             * Creates a plain object from a BlockStatistics message. Also converts values to other types if specified.
             * @param message BlockStatistics
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fisherd.v1.BlockStatistics, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this BlockStatistics to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace BlockStatistics {

            /** Properties of a BlockStatistics. */
            interface $Properties {

                /** The SessionConfig block's name; empty = the whole parameter vector (then the only entry). */
                block?: (string|null);

                /** BlockStatistics diagonal */
                diagonal?: (fisherd.v1.DiagonalMoments.$Properties|null);

                /** BlockStatistics kronecker */
                kronecker?: (fisherd.v1.KroneckerStatistics.$Properties|null);

                /** BlockStatistics kind */
                kind?: ("diagonal"|"kronecker");

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Narrowed shape of a BlockStatistics. */
            type $Shape = {
              block?: string|null;
              diagonal?: fisherd.v1.DiagonalMoments.$Shape|null;
              kronecker?: fisherd.v1.KroneckerStatistics.$Shape|null;
              $unknowns?: Uint8Array[];
            } & (
              ({ kind?: undefined; diagonal?: null; kronecker?: null }|{ kind?: "diagonal"; diagonal: fisherd.v1.DiagonalMoments.$Shape; kronecker?: null }|{ kind?: "kronecker"; diagonal?: null; kronecker: fisherd.v1.KroneckerStatistics.$Shape })
            );
        }

        /**
         * Properties of a KroneckerStatistics.
         * @deprecated Use fisherd.v1.KroneckerStatistics.$Properties instead.
         */
        interface IKroneckerStatistics extends fisherd.v1.KroneckerStatistics.$Properties {
        }

        /**
         * A KIND_KRONECKER block's statistics (docs/math.md, "Kronecker factors (K-FAC)" and "Statistics
         * contributions"): the block's gradient sum on every step, and its factor sums on the steps that carry
         * them. A client may send factors only every T_stat steps, each time summed over the steps since the
         * last (sums and counts added); a step without `factors` is valid and leaves the block's factors, and
         * their EMA clock, as they are (the session's first step with a tracked estimate must carry them). Every
         * worker of a step sends factors for a block, or none does.
         */
        class KroneckerStatistics {

            /**
             * Constructs a new KroneckerStatistics.
             * @param [properties] Properties to set
             */
            constructor(properties?: fisherd.v1.KroneckerStatistics.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** b_w, this step's examples (>= 1); must equal StepContribution.batch_size (every block). */
            count: number;

            /** How every float vector of this message and of its `factors` is encoded (default FLOAT32). */
            encoding: fisherd.v1.FloatEncoding;

            /**
             * Σ_n r_n: out·in' values in the block's layout (torch's weight row-major, then the bias), as the client
             * holds them under StepContribution.reduction (like DiagonalMoments.sum: fisherd multiplies by b_w for
             * REDUCTION_MEAN). ḡ's share: this or `sum_factors` is required (not both).
             */
            sum: Uint8Array;

            /** The factor sums, when this step carries them. */
            factors?: (fisherd.v1.KroneckerFactors.$Properties|null);

            /**
             * `sum` as the product of two thin factors instead (math.md, "Low-rank gradient sums"): fewer bytes when
             * rank·(out + in') < out·in', and a cheaper solve on the daemon. Exactly one of `sum`, `sum_factors`.
             */
            sumFactors?: (fisherd.v1.GradientFactors.$Properties|null);

            /**
             * Creates a new KroneckerStatistics instance using the specified properties.
             * @param [properties] Properties to set
             * @returns KroneckerStatistics instance
             */
            static create(properties: fisherd.v1.KroneckerStatistics.$Shape): fisherd.v1.KroneckerStatistics & fisherd.v1.KroneckerStatistics.$Shape;
            static create(properties?: fisherd.v1.KroneckerStatistics.$Properties): fisherd.v1.KroneckerStatistics;

            /**
             * Encodes the specified KroneckerStatistics message. Does not implicitly {@link fisherd.v1.KroneckerStatistics.verify|verify} messages.
             * @param message KroneckerStatistics message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fisherd.v1.KroneckerStatistics.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a KroneckerStatistics message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fisherd.v1.KroneckerStatistics & fisherd.v1.KroneckerStatistics.$Shape} KroneckerStatistics
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.KroneckerStatistics & fisherd.v1.KroneckerStatistics.$Shape;

            /**
             * Verifies a KroneckerStatistics message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a KroneckerStatistics message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns KroneckerStatistics
             */
            static fromObject(object: { [k: string]: any }): fisherd.v1.KroneckerStatistics;

            /**
             * Creates a plain object from a KroneckerStatistics message. Also converts values to other types if specified.
             * @param message KroneckerStatistics
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fisherd.v1.KroneckerStatistics, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this KroneckerStatistics to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace KroneckerStatistics {

            /** Properties of a KroneckerStatistics. */
            interface $Properties {

                /** b_w, this step's examples (>= 1); must equal StepContribution.batch_size (every block). */
                count?: (number|null);

                /** How every float vector of this message and of its `factors` is encoded (default FLOAT32). */
                encoding?: (fisherd.v1.FloatEncoding|null);

                /**
                 * Σ_n r_n: out·in' values in the block's layout (torch's weight row-major, then the bias), as the client
                 * holds them under StepContribution.reduction (like DiagonalMoments.sum: fisherd multiplies by b_w for
                 * REDUCTION_MEAN). ḡ's share: this or `sum_factors` is required (not both).
                 */
                sum?: (Uint8Array|null);

                /** The factor sums, when this step carries them. */
                factors?: (fisherd.v1.KroneckerFactors.$Properties|null);

                /**
                 * `sum` as the product of two thin factors instead (math.md, "Low-rank gradient sums"): fewer bytes when
                 * rank·(out + in') < out·in', and a cheaper solve on the daemon. Exactly one of `sum`, `sum_factors`.
                 */
                sumFactors?: (fisherd.v1.GradientFactors.$Properties|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a KroneckerStatistics. */
            type $Shape = fisherd.v1.KroneckerStatistics.$Properties;
        }

        /**
         * Properties of a GradientFactors.
         * @deprecated Use fisherd.v1.GradientFactors.$Properties instead.
         */
        interface IGradientFactors extends fisherd.v1.GradientFactors.$Properties {
        }

        /**
         * A Kronecker block's gradient sum as a product of factors (math.md, "Low-rank gradient sums"): the out×in'
         * matrix Σ_j e_j ā_jᵀ = Lᵀ R, whose weight columns (row-major) then bias column are `sum` in the block's
         * layout. One row pair per example for a layer without weight sharing (rank = b_w); b_w·R pairs for R
         * positions of a convolution or a sequence. The rows as the client holds them (e_j scaled by the reduction
         * like `sum`), in the enclosing message's encoding; finite.
         */
        class GradientFactors {

            /**
             * Constructs a new GradientFactors.
             * @param [properties] Properties to set
             */
            constructor(properties?: fisherd.v1.GradientFactors.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** r >= 1, the number of row pairs. */
            rank: number;

            /** L: r × out, row-major (row j = e_j, the output gradient). */
            outputGrads: Uint8Array;

            /** R: r × in', row-major (row j = ā_j, the input with the bias's 1 last when the block has a bias). */
            inputs: Uint8Array;

            /**
             * Creates a new GradientFactors instance using the specified properties.
             * @param [properties] Properties to set
             * @returns GradientFactors instance
             */
            static create(properties: fisherd.v1.GradientFactors.$Shape): fisherd.v1.GradientFactors & fisherd.v1.GradientFactors.$Shape;
            static create(properties?: fisherd.v1.GradientFactors.$Properties): fisherd.v1.GradientFactors;

            /**
             * Encodes the specified GradientFactors message. Does not implicitly {@link fisherd.v1.GradientFactors.verify|verify} messages.
             * @param message GradientFactors message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fisherd.v1.GradientFactors.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a GradientFactors message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fisherd.v1.GradientFactors & fisherd.v1.GradientFactors.$Shape} GradientFactors
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.GradientFactors & fisherd.v1.GradientFactors.$Shape;

            /**
             * Verifies a GradientFactors message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a GradientFactors message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns GradientFactors
             */
            static fromObject(object: { [k: string]: any }): fisherd.v1.GradientFactors;

            /**
             * Creates a plain object from a GradientFactors message. Also converts values to other types if specified.
             * @param message GradientFactors
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fisherd.v1.GradientFactors, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this GradientFactors to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace GradientFactors {

            /** Properties of a GradientFactors. */
            interface $Properties {

                /** r >= 1, the number of row pairs. */
                rank?: (number|null);

                /** L: r × out, row-major (row j = e_j, the output gradient). */
                outputGrads?: (Uint8Array|null);

                /** R: r × in', row-major (row j = ā_j, the input with the bias's 1 last when the block has a bias). */
                inputs?: (Uint8Array|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a GradientFactors. */
            type $Shape = fisherd.v1.GradientFactors.$Properties;
        }

        /**
         * Properties of a KroneckerFactors.
         * @deprecated Use fisherd.v1.KroneckerFactors.$Properties instead.
         */
        interface IKroneckerFactors extends fisherd.v1.KroneckerFactors.$Properties {
        }

        /**
         * Sums of outer products over the examples (and steps) since the last factors, at math.md's per-example
         * scale whatever StepContribution.reduction says (a hook of a mean-reduced loss sees e_n/b: the client
         * multiplies its output-gradient sums by b² before sending, math.md). Each symmetric n×n sum travels as its
         * upper triangle packed row by row: M[0][0], M[0][1], …, M[0][n−1], M[1][1], …, M[n−1][n−1]
         * (n(n+1)/2 values), so it is symmetric by construction; fisherd checks the values finite and the
         * diagonal ≥ 0 (a cheap necessary condition for a sum of outer products). Counts are the divisors of
         * math.md's table: > 0, finite.
         */
        class KroneckerFactors {

            /**
             * Constructs a new KroneckerFactors.
             * @param [properties] Properties to set
             */
            constructor(properties?: fisherd.v1.KroneckerFactors.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** A = Σ ā ā ᵀ, in'×in' packed (in' = inputs + 1 with a bias: ā = [a; 1]). */
            inputSum: Uint8Array;

            /** Divisor of input_sum: b (summed over T_stat steps), b·R for weight sharing with K-FAC-expand. */
            inputCount: number;

            /**
             * Output-gradient factor sums G = Σ e eᵀ (out×out packed), one per source. Those the session's tracked
             * estimates need are required (MISSING_INPUT naming the field); others are checked and ignored.
             * Data labels (the empirical Fisher): count b.
             */
            empirical?: (fisherd.v1.OutputGradFactor.$Properties|null);

            /** K labels sampled from the model per example (the Monte-Carlo Fisher, FISHER_SOURCE_SAMPLED): count b·K. */
            sampled?: (fisherd.v1.OutputGradFactor.$Properties|null);

            /** K >= 1, with `sampled` (the same for every block and worker). */
            samplesPerExample: number;

            /**
             * Columns of the loss Hessian's square root backpropagated (the exact "type-2" Fisher,
             * FISHER_SOURCE_EXACT): count b (not b·C).
             */
            exact?: (fisherd.v1.OutputGradFactor.$Properties|null);

            /**
             * EKFAC only (eigenvalue_corrected blocks; ignored by others): Σ_j ((V_Gᵀ E_j V_A)_{o,i})², out·in'
             * values (row o, column i; bias column last), in the eigenbasis of decomposition `basis_version` of the
             * session's Fisher (the update's "layer.<block>.basisVersion" diagnostic names the installed one); with
             * its count (that of the output-gradient factor). Applied to both tracked estimates' blocks. The basis:
             * EstimatesRequest.kronecker_basis returns it after each refresh.
             */
            eigenbasisSquares: Uint8Array;

            /** KroneckerFactors eigenbasisCount. */
            eigenbasisCount: number;

            /** KroneckerFactors basisVersion. */
            basisVersion: number;

            /**
             * Creates a new KroneckerFactors instance using the specified properties.
             * @param [properties] Properties to set
             * @returns KroneckerFactors instance
             */
            static create(properties: fisherd.v1.KroneckerFactors.$Shape): fisherd.v1.KroneckerFactors & fisherd.v1.KroneckerFactors.$Shape;
            static create(properties?: fisherd.v1.KroneckerFactors.$Properties): fisherd.v1.KroneckerFactors;

            /**
             * Encodes the specified KroneckerFactors message. Does not implicitly {@link fisherd.v1.KroneckerFactors.verify|verify} messages.
             * @param message KroneckerFactors message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fisherd.v1.KroneckerFactors.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a KroneckerFactors message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fisherd.v1.KroneckerFactors & fisherd.v1.KroneckerFactors.$Shape} KroneckerFactors
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.KroneckerFactors & fisherd.v1.KroneckerFactors.$Shape;

            /**
             * Verifies a KroneckerFactors message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a KroneckerFactors message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns KroneckerFactors
             */
            static fromObject(object: { [k: string]: any }): fisherd.v1.KroneckerFactors;

            /**
             * Creates a plain object from a KroneckerFactors message. Also converts values to other types if specified.
             * @param message KroneckerFactors
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fisherd.v1.KroneckerFactors, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this KroneckerFactors to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace KroneckerFactors {

            /** Properties of a KroneckerFactors. */
            interface $Properties {

                /** A = Σ ā ā ᵀ, in'×in' packed (in' = inputs + 1 with a bias: ā = [a; 1]). */
                inputSum?: (Uint8Array|null);

                /** Divisor of input_sum: b (summed over T_stat steps), b·R for weight sharing with K-FAC-expand. */
                inputCount?: (number|null);

                /**
                 * Output-gradient factor sums G = Σ e eᵀ (out×out packed), one per source. Those the session's tracked
                 * estimates need are required (MISSING_INPUT naming the field); others are checked and ignored.
                 * Data labels (the empirical Fisher): count b.
                 */
                empirical?: (fisherd.v1.OutputGradFactor.$Properties|null);

                /** K labels sampled from the model per example (the Monte-Carlo Fisher, FISHER_SOURCE_SAMPLED): count b·K. */
                sampled?: (fisherd.v1.OutputGradFactor.$Properties|null);

                /** K >= 1, with `sampled` (the same for every block and worker). */
                samplesPerExample?: (number|null);

                /**
                 * Columns of the loss Hessian's square root backpropagated (the exact "type-2" Fisher,
                 * FISHER_SOURCE_EXACT): count b (not b·C).
                 */
                exact?: (fisherd.v1.OutputGradFactor.$Properties|null);

                /**
                 * EKFAC only (eigenvalue_corrected blocks; ignored by others): Σ_j ((V_Gᵀ E_j V_A)_{o,i})², out·in'
                 * values (row o, column i; bias column last), in the eigenbasis of decomposition `basis_version` of the
                 * session's Fisher (the update's "layer.<block>.basisVersion" diagnostic names the installed one); with
                 * its count (that of the output-gradient factor). Applied to both tracked estimates' blocks. The basis:
                 * EstimatesRequest.kronecker_basis returns it after each refresh.
                 */
                eigenbasisSquares?: (Uint8Array|null);

                /** KroneckerFactors eigenbasisCount */
                eigenbasisCount?: (number|null);

                /** KroneckerFactors basisVersion */
                basisVersion?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a KroneckerFactors. */
            type $Shape = fisherd.v1.KroneckerFactors.$Properties;
        }

        /**
         * Properties of an OutputGradFactor.
         * @deprecated Use fisherd.v1.OutputGradFactor.$Properties instead.
         */
        interface IOutputGradFactor extends fisherd.v1.OutputGradFactor.$Properties {
        }

        /** One output-gradient factor sum: out×out packed upper triangle (see KroneckerFactors), and its divisor. */
        class OutputGradFactor {

            /**
             * Constructs a new OutputGradFactor.
             * @param [properties] Properties to set
             */
            constructor(properties?: fisherd.v1.OutputGradFactor.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** OutputGradFactor sum. */
            sum: Uint8Array;

            /** OutputGradFactor count. */
            count: number;

            /**
             * Creates a new OutputGradFactor instance using the specified properties.
             * @param [properties] Properties to set
             * @returns OutputGradFactor instance
             */
            static create(properties: fisherd.v1.OutputGradFactor.$Shape): fisherd.v1.OutputGradFactor & fisherd.v1.OutputGradFactor.$Shape;
            static create(properties?: fisherd.v1.OutputGradFactor.$Properties): fisherd.v1.OutputGradFactor;

            /**
             * Encodes the specified OutputGradFactor message. Does not implicitly {@link fisherd.v1.OutputGradFactor.verify|verify} messages.
             * @param message OutputGradFactor message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fisherd.v1.OutputGradFactor.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an OutputGradFactor message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fisherd.v1.OutputGradFactor & fisherd.v1.OutputGradFactor.$Shape} OutputGradFactor
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.OutputGradFactor & fisherd.v1.OutputGradFactor.$Shape;

            /**
             * Verifies an OutputGradFactor message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates an OutputGradFactor message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns OutputGradFactor
             */
            static fromObject(object: { [k: string]: any }): fisherd.v1.OutputGradFactor;

            /**
             * Creates a plain object from an OutputGradFactor message. Also converts values to other types if specified.
             * @param message OutputGradFactor
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fisherd.v1.OutputGradFactor, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this OutputGradFactor to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace OutputGradFactor {

            /** Properties of an OutputGradFactor. */
            interface $Properties {

                /** OutputGradFactor sum */
                sum?: (Uint8Array|null);

                /** OutputGradFactor count */
                count?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of an OutputGradFactor. */
            type $Shape = fisherd.v1.OutputGradFactor.$Properties;
        }

        /**
         * Properties of a DiagonalMoments.
         * @deprecated Use fisherd.v1.DiagonalMoments.$Properties instead.
         */
        interface IDiagonalMoments extends fisherd.v1.DiagonalMoments.$Properties {
        }

        /**
         * Per-coordinate sums over this worker's b_w examples of the rows r_n as the client holds them (scaled
         * by `StepContribution.reduction` exactly like the rows they replace: for REDUCTION_MEAN r_n = g_n/b_w,
         * u/√b_w; fisherd multiplies back, math.md). Every vector has the block's size, in `encoding`. Sums that
         * the session's tracked estimates need are required (MISSING_INPUT naming the field); others are checked
         * and ignored. Only sessions whose tracked estimates are all diagonal accept statistics (INVALID_CONFIG).
         */
        class DiagonalMoments {

            /**
             * Constructs a new DiagonalMoments.
             * @param [properties] Properties to set
             */
            constructor(properties?: fisherd.v1.DiagonalMoments.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** b_w, the examples summed (>= 1); must equal StepContribution.batch_size. */
            count: number;

            /** How the float vectors below are encoded (default FLOAT32). */
            encoding: fisherd.v1.FloatEncoding;

            /** Σ_n r_n (always required). */
            sum: Uint8Array;

            /** Σ_n r_n∘r_n (>= 0), for the empirical Fisher. */
            sumSquares: Uint8Array;

            /**
             * M2_w = Σ_n (r_n − r̄)∘(r_n − r̄) (>= 0), r̄ = Σ_n r_n / b_w, computed in two passes over the rows:
             * for the noise covariance (the workers' M2 merge exactly, Chan et al.).
             */
            centredSquares: Uint8Array;

            /** Σ_n Σ_k r̃_{n,k}∘r̃_{n,k} (>= 0) over the K sampled-label rows per example: the Monte-Carlo Fisher. */
            sampledLabelSquares: Uint8Array;

            /** K >= 1, with sampled_label_squares (the same for every block and worker). */
            samplesPerExample: number;

            /** Σ_n Σ_c u_{n,c}∘u_{n,c} (>= 0) over the exact factor rows: the exact Fisher. */
            factorSquares: Uint8Array;

            /**
             * Creates a new DiagonalMoments instance using the specified properties.
             * @param [properties] Properties to set
             * @returns DiagonalMoments instance
             */
            static create(properties: fisherd.v1.DiagonalMoments.$Shape): fisherd.v1.DiagonalMoments & fisherd.v1.DiagonalMoments.$Shape;
            static create(properties?: fisherd.v1.DiagonalMoments.$Properties): fisherd.v1.DiagonalMoments;

            /**
             * Encodes the specified DiagonalMoments message. Does not implicitly {@link fisherd.v1.DiagonalMoments.verify|verify} messages.
             * @param message DiagonalMoments message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fisherd.v1.DiagonalMoments.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a DiagonalMoments message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fisherd.v1.DiagonalMoments & fisherd.v1.DiagonalMoments.$Shape} DiagonalMoments
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.DiagonalMoments & fisherd.v1.DiagonalMoments.$Shape;

            /**
             * Verifies a DiagonalMoments message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a DiagonalMoments message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns DiagonalMoments
             */
            static fromObject(object: { [k: string]: any }): fisherd.v1.DiagonalMoments;

            /**
             * Creates a plain object from a DiagonalMoments message. Also converts values to other types if specified.
             * @param message DiagonalMoments
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fisherd.v1.DiagonalMoments, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this DiagonalMoments to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace DiagonalMoments {

            /** Properties of a DiagonalMoments. */
            interface $Properties {

                /** b_w, the examples summed (>= 1); must equal StepContribution.batch_size. */
                count?: (number|null);

                /** How the float vectors below are encoded (default FLOAT32). */
                encoding?: (fisherd.v1.FloatEncoding|null);

                /** Σ_n r_n (always required). */
                sum?: (Uint8Array|null);

                /** Σ_n r_n∘r_n (>= 0), for the empirical Fisher. */
                sumSquares?: (Uint8Array|null);

                /**
                 * M2_w = Σ_n (r_n − r̄)∘(r_n − r̄) (>= 0), r̄ = Σ_n r_n / b_w, computed in two passes over the rows:
                 * for the noise covariance (the workers' M2 merge exactly, Chan et al.).
                 */
                centredSquares?: (Uint8Array|null);

                /** Σ_n Σ_k r̃_{n,k}∘r̃_{n,k} (>= 0) over the K sampled-label rows per example: the Monte-Carlo Fisher. */
                sampledLabelSquares?: (Uint8Array|null);

                /** K >= 1, with sampled_label_squares (the same for every block and worker). */
                samplesPerExample?: (number|null);

                /** Σ_n Σ_c u_{n,c}∘u_{n,c} (>= 0) over the exact factor rows: the exact Fisher. */
                factorSquares?: (Uint8Array|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a DiagonalMoments. */
            type $Shape = fisherd.v1.DiagonalMoments.$Properties;
        }

        /** Encoding of a float vector in `bytes`, little-endian. */
        enum FloatEncoding {

            /** treated as FLOAT32 */
            FLOAT_ENCODING_UNSPECIFIED = 0,

            /** IEEE-754 binary32, 4 bytes per value */
            FLOAT_ENCODING_FLOAT32 = 1,

            /** IEEE-754 binary16, 2 bytes (|x| <= 65504, 11 significant bits) */
            FLOAT_ENCODING_FLOAT16 = 2,

            /** bfloat16 (the top half of a binary32), 2 bytes (8 significant bits) */
            FLOAT_ENCODING_BFLOAT16 = 3
        }

        /** How the client's loss was reduced over its b_w examples. */
        enum Reduction {

            /** Rejected (INVALID_CONFIG): a wrong guess would silently rescale every estimate. */
            REDUCTION_UNSPECIFIED = 0,

            /**
             * Loss = (1/b_w) Σ ℓ_n: per-example rows arrive as g_n / b_w (BackPACK's BatchGrad with mean
             * reduction), factor rows as u / √b_w, mean_grad as ḡ. fisherd multiplies back.
             */
            REDUCTION_MEAN = 1,

            /** Loss = Σ ℓ_n: rows arrive as g_n and u, mean_grad as Σ g_n (fisherd divides by b_w). */
            REDUCTION_SUM = 2
        }

        /**
         * Properties of a SampledLabelGrads.
         * @deprecated Use fisherd.v1.SampledLabelGrads.$Properties instead.
         */
        interface ISampledLabelGrads extends fisherd.v1.SampledLabelGrads.$Properties {
        }

        /** Represents a SampledLabelGrads. */
        class SampledLabelGrads {

            /**
             * Constructs a new SampledLabelGrads.
             * @param [properties] Properties to set
             */
            constructor(properties?: fisherd.v1.SampledLabelGrads.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** K >= 1 labels sampled per example. */
            samplesPerExample: number;

            /** batch_size·K rows of D, row-major little-endian float32, the K rows of example n consecutive. */
            rows: Uint8Array;

            /**
             * Creates a new SampledLabelGrads instance using the specified properties.
             * @param [properties] Properties to set
             * @returns SampledLabelGrads instance
             */
            static create(properties: fisherd.v1.SampledLabelGrads.$Shape): fisherd.v1.SampledLabelGrads & fisherd.v1.SampledLabelGrads.$Shape;
            static create(properties?: fisherd.v1.SampledLabelGrads.$Properties): fisherd.v1.SampledLabelGrads;

            /**
             * Encodes the specified SampledLabelGrads message. Does not implicitly {@link fisherd.v1.SampledLabelGrads.verify|verify} messages.
             * @param message SampledLabelGrads message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fisherd.v1.SampledLabelGrads.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a SampledLabelGrads message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fisherd.v1.SampledLabelGrads & fisherd.v1.SampledLabelGrads.$Shape} SampledLabelGrads
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.SampledLabelGrads & fisherd.v1.SampledLabelGrads.$Shape;

            /**
             * Verifies a SampledLabelGrads message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a SampledLabelGrads message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns SampledLabelGrads
             */
            static fromObject(object: { [k: string]: any }): fisherd.v1.SampledLabelGrads;

            /**
             * Creates a plain object from a SampledLabelGrads message. Also converts values to other types if specified.
             * @param message SampledLabelGrads
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fisherd.v1.SampledLabelGrads, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this SampledLabelGrads to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace SampledLabelGrads {

            /** Properties of a SampledLabelGrads. */
            interface $Properties {

                /** K >= 1 labels sampled per example. */
                samplesPerExample?: (number|null);

                /** batch_size·K rows of D, row-major little-endian float32, the K rows of example n consecutive. */
                rows?: (Uint8Array|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a SampledLabelGrads. */
            type $Shape = fisherd.v1.SampledLabelGrads.$Properties;
        }

        /**
         * Properties of a FisherFactorRows.
         * @deprecated Use fisherd.v1.FisherFactorRows.$Properties instead.
         */
        interface IFisherFactorRows extends fisherd.v1.FisherFactorRows.$Properties {
        }

        /** Represents a FisherFactorRows. */
        class FisherFactorRows {

            /**
             * Constructs a new FisherFactorRows.
             * @param [properties] Properties to set
             */
            constructor(properties?: fisherd.v1.FisherFactorRows.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** C >= 1 factor rows per example (e.g. the number of classes for softmax). */
            factorsPerExample: number;

            /** batch_size·C rows of D, row-major little-endian float32, the C rows of example n consecutive. */
            rows: Uint8Array;

            /**
             * Creates a new FisherFactorRows instance using the specified properties.
             * @param [properties] Properties to set
             * @returns FisherFactorRows instance
             */
            static create(properties: fisherd.v1.FisherFactorRows.$Shape): fisherd.v1.FisherFactorRows & fisherd.v1.FisherFactorRows.$Shape;
            static create(properties?: fisherd.v1.FisherFactorRows.$Properties): fisherd.v1.FisherFactorRows;

            /**
             * Encodes the specified FisherFactorRows message. Does not implicitly {@link fisherd.v1.FisherFactorRows.verify|verify} messages.
             * @param message FisherFactorRows message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fisherd.v1.FisherFactorRows.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a FisherFactorRows message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fisherd.v1.FisherFactorRows & fisherd.v1.FisherFactorRows.$Shape} FisherFactorRows
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.FisherFactorRows & fisherd.v1.FisherFactorRows.$Shape;

            /**
             * Verifies a FisherFactorRows message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a FisherFactorRows message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns FisherFactorRows
             */
            static fromObject(object: { [k: string]: any }): fisherd.v1.FisherFactorRows;

            /**
             * Creates a plain object from a FisherFactorRows message. Also converts values to other types if specified.
             * @param message FisherFactorRows
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fisherd.v1.FisherFactorRows, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this FisherFactorRows to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace FisherFactorRows {

            /** Properties of a FisherFactorRows. */
            interface $Properties {

                /** C >= 1 factor rows per example (e.g. the number of classes for softmax). */
                factorsPerExample?: (number|null);

                /** batch_size·C rows of D, row-major little-endian float32, the C rows of example n consecutive. */
                rows?: (Uint8Array|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a FisherFactorRows. */
            type $Shape = fisherd.v1.FisherFactorRows.$Properties;
        }

        /**
         * Properties of an EstimatesRequest.
         * @deprecated Use fisherd.v1.EstimatesRequest.$Properties instead.
         */
        interface IEstimatesRequest extends fisherd.v1.EstimatesRequest.$Properties {
        }

        /** Asks for the session's current (bias-corrected) estimates. */
        class EstimatesRequest {

            /**
             * Constructs a new EstimatesRequest.
             * @param [properties] Properties to set
             */
            constructor(properties?: fisherd.v1.EstimatesRequest.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** How many of the largest eigenvalues to report per estimate (default 5, at most 64). */
            topK: number;

            /** Whether to include the diagonals and ḡ (default false; they are large for large D). */
            includeDiagonals: boolean;

            /**
             * With include_diagonals: the coordinates [diagonal_offset, diagonal_offset + diagonal_length) of each
             * diagonal and of ḡ (default 0 and 0 = up to D). A reply is at most --max-reply-bytes (default 64 MiB):
             * (tracked estimates + 1) × length × 8 bytes; a larger range is refused with INVALID_CONFIG naming the
             * largest length that fits, so a large D is read in ranges. One such request per connection at a time.
             */
            diagonalOffset: number;

            /** EstimatesRequest diagonalLength. */
            diagonalLength: number;

            /**
             * The name of a Kronecker block whose installed eigenbases to return (Estimates.kronecker_bases), e.g.
             * for a client that computes EKFAC's eigenbasis_squares (KroneckerStatistics) on its device; empty:
             * none. UNKNOWN_BLOCK / INVALID_CONFIG (not kronecker) naming this field. The reply holds
             * 4·(out² + in'²) bytes per tracked Fisher, at most --max-reply-bytes (INVALID_CONFIG beyond).
             */
            kroneckerBasis: string;

            /**
             * Creates a new EstimatesRequest instance using the specified properties.
             * @param [properties] Properties to set
             * @returns EstimatesRequest instance
             */
            static create(properties: fisherd.v1.EstimatesRequest.$Shape): fisherd.v1.EstimatesRequest & fisherd.v1.EstimatesRequest.$Shape;
            static create(properties?: fisherd.v1.EstimatesRequest.$Properties): fisherd.v1.EstimatesRequest;

            /**
             * Encodes the specified EstimatesRequest message. Does not implicitly {@link fisherd.v1.EstimatesRequest.verify|verify} messages.
             * @param message EstimatesRequest message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fisherd.v1.EstimatesRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an EstimatesRequest message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fisherd.v1.EstimatesRequest & fisherd.v1.EstimatesRequest.$Shape} EstimatesRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.EstimatesRequest & fisherd.v1.EstimatesRequest.$Shape;

            /**
             * Verifies an EstimatesRequest message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates an EstimatesRequest message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns EstimatesRequest
             */
            static fromObject(object: { [k: string]: any }): fisherd.v1.EstimatesRequest;

            /**
             * Creates a plain object from an EstimatesRequest message. Also converts values to other types if specified.
             * @param message EstimatesRequest
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fisherd.v1.EstimatesRequest, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this EstimatesRequest to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace EstimatesRequest {

            /** Properties of an EstimatesRequest. */
            interface $Properties {

                /** How many of the largest eigenvalues to report per estimate (default 5, at most 64). */
                topK?: (number|null);

                /** Whether to include the diagonals and ḡ (default false; they are large for large D). */
                includeDiagonals?: (boolean|null);

                /**
                 * With include_diagonals: the coordinates [diagonal_offset, diagonal_offset + diagonal_length) of each
                 * diagonal and of ḡ (default 0 and 0 = up to D). A reply is at most --max-reply-bytes (default 64 MiB):
                 * (tracked estimates + 1) × length × 8 bytes; a larger range is refused with INVALID_CONFIG naming the
                 * largest length that fits, so a large D is read in ranges. One such request per connection at a time.
                 */
                diagonalOffset?: (number|null);

                /** EstimatesRequest diagonalLength */
                diagonalLength?: (number|null);

                /**
                 * The name of a Kronecker block whose installed eigenbases to return (Estimates.kronecker_bases), e.g.
                 * for a client that computes EKFAC's eigenbasis_squares (KroneckerStatistics) on its device; empty:
                 * none. UNKNOWN_BLOCK / INVALID_CONFIG (not kronecker) naming this field. The reply holds
                 * 4·(out² + in'²) bytes per tracked Fisher, at most --max-reply-bytes (INVALID_CONFIG beyond).
                 */
                kroneckerBasis?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of an EstimatesRequest. */
            type $Shape = fisherd.v1.EstimatesRequest.$Properties;
        }

        /**
         * Properties of a CloseSession.
         * @deprecated Use fisherd.v1.CloseSession.$Properties instead.
         */
        interface ICloseSession extends fisherd.v1.CloseSession.$Properties {
        }

        /**
         * Detaches this connection from its session. The session is checkpointed; it stays resumable by id
         * unless `discard` is set, which deletes it once no worker is attached.
         */
        class CloseSession {

            /**
             * Constructs a new CloseSession.
             * @param [properties] Properties to set
             */
            constructor(properties?: fisherd.v1.CloseSession.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** CloseSession discard. */
            discard: boolean;

            /**
             * Creates a new CloseSession instance using the specified properties.
             * @param [properties] Properties to set
             * @returns CloseSession instance
             */
            static create(properties: fisherd.v1.CloseSession.$Shape): fisherd.v1.CloseSession & fisherd.v1.CloseSession.$Shape;
            static create(properties?: fisherd.v1.CloseSession.$Properties): fisherd.v1.CloseSession;

            /**
             * Encodes the specified CloseSession message. Does not implicitly {@link fisherd.v1.CloseSession.verify|verify} messages.
             * @param message CloseSession message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fisherd.v1.CloseSession.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a CloseSession message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fisherd.v1.CloseSession & fisherd.v1.CloseSession.$Shape} CloseSession
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.CloseSession & fisherd.v1.CloseSession.$Shape;

            /**
             * Verifies a CloseSession message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a CloseSession message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns CloseSession
             */
            static fromObject(object: { [k: string]: any }): fisherd.v1.CloseSession;

            /**
             * Creates a plain object from a CloseSession message. Also converts values to other types if specified.
             * @param message CloseSession
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fisherd.v1.CloseSession, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this CloseSession to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace CloseSession {

            /** Properties of a CloseSession. */
            interface $Properties {

                /** CloseSession discard */
                discard?: (boolean|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a CloseSession. */
            type $Shape = fisherd.v1.CloseSession.$Properties;
        }

        /**
         * Properties of a SharedMemoryOffer.
         * @deprecated Use fisherd.v1.SharedMemoryOffer.$Properties instead.
         */
        interface ISharedMemoryOffer extends fisherd.v1.SharedMemoryOffer.$Properties {
        }

        /**
         * Offers the daemon two files for payloads (after Welcome, at most once per connection; the daemon has the
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
         */
        class SharedMemoryOffer {

            /**
             * Constructs a new SharedMemoryOffer.
             * @param [properties] Properties to set
             */
            constructor(properties?: fisherd.v1.SharedMemoryOffer.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /**
             * The file the client writes its requests into (client -> daemon), a plain name in the daemon's
             * shared-memory directory: "fisherd-" followed by 8 to 64 of [A-Za-z0-9_-].
             */
            requestFile: string;

            /** The file the daemon writes its ref'd replies into (daemon -> client), named likewise, another file. */
            replyFile: string;

            /**
             * 16 to 64 random bytes, written by the client at offset 0 of both files. The daemon writes replies
             * after them (from SharedMemoryAccepted.reply_offset), never over them.
             */
            nonce: Uint8Array;

            /**
             * Creates a new SharedMemoryOffer instance using the specified properties.
             * @param [properties] Properties to set
             * @returns SharedMemoryOffer instance
             */
            static create(properties: fisherd.v1.SharedMemoryOffer.$Shape): fisherd.v1.SharedMemoryOffer & fisherd.v1.SharedMemoryOffer.$Shape;
            static create(properties?: fisherd.v1.SharedMemoryOffer.$Properties): fisherd.v1.SharedMemoryOffer;

            /**
             * Encodes the specified SharedMemoryOffer message. Does not implicitly {@link fisherd.v1.SharedMemoryOffer.verify|verify} messages.
             * @param message SharedMemoryOffer message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fisherd.v1.SharedMemoryOffer.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a SharedMemoryOffer message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fisherd.v1.SharedMemoryOffer & fisherd.v1.SharedMemoryOffer.$Shape} SharedMemoryOffer
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.SharedMemoryOffer & fisherd.v1.SharedMemoryOffer.$Shape;

            /**
             * Verifies a SharedMemoryOffer message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a SharedMemoryOffer message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns SharedMemoryOffer
             */
            static fromObject(object: { [k: string]: any }): fisherd.v1.SharedMemoryOffer;

            /**
             * Creates a plain object from a SharedMemoryOffer message. Also converts values to other types if specified.
             * @param message SharedMemoryOffer
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fisherd.v1.SharedMemoryOffer, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this SharedMemoryOffer to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace SharedMemoryOffer {

            /** Properties of a SharedMemoryOffer. */
            interface $Properties {

                /**
                 * The file the client writes its requests into (client -> daemon), a plain name in the daemon's
                 * shared-memory directory: "fisherd-" followed by 8 to 64 of [A-Za-z0-9_-].
                 */
                requestFile?: (string|null);

                /** The file the daemon writes its ref'd replies into (daemon -> client), named likewise, another file. */
                replyFile?: (string|null);

                /**
                 * 16 to 64 random bytes, written by the client at offset 0 of both files. The daemon writes replies
                 * after them (from SharedMemoryAccepted.reply_offset), never over them.
                 */
                nonce?: (Uint8Array|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a SharedMemoryOffer. */
            type $Shape = fisherd.v1.SharedMemoryOffer.$Properties;
        }

        /**
         * Properties of a SharedMemoryAccepted.
         * @deprecated Use fisherd.v1.SharedMemoryAccepted.$Properties instead.
         */
        interface ISharedMemoryAccepted extends fisherd.v1.SharedMemoryAccepted.$Properties {
        }

        /** The daemon holds both files open: ref'd messages may flow. */
        class SharedMemoryAccepted {

            /**
             * Constructs a new SharedMemoryAccepted.
             * @param [properties] Properties to set
             */
            constructor(properties?: fisherd.v1.SharedMemoryAccepted.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /**
             * Where in the reply file the daemon writes its replies (the first byte after the nonce, rounded up to
             * a page: 4096).
             */
            replyOffset: number;

            /**
             * Replies of at least this many bytes (encoded) to a ref'd request travel by ref (65536); smaller ones
             * are frames.
             */
            replyThresholdBytes: number;

            /**
             * Creates a new SharedMemoryAccepted instance using the specified properties.
             * @param [properties] Properties to set
             * @returns SharedMemoryAccepted instance
             */
            static create(properties: fisherd.v1.SharedMemoryAccepted.$Shape): fisherd.v1.SharedMemoryAccepted & fisherd.v1.SharedMemoryAccepted.$Shape;
            static create(properties?: fisherd.v1.SharedMemoryAccepted.$Properties): fisherd.v1.SharedMemoryAccepted;

            /**
             * Encodes the specified SharedMemoryAccepted message. Does not implicitly {@link fisherd.v1.SharedMemoryAccepted.verify|verify} messages.
             * @param message SharedMemoryAccepted message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fisherd.v1.SharedMemoryAccepted.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a SharedMemoryAccepted message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fisherd.v1.SharedMemoryAccepted & fisherd.v1.SharedMemoryAccepted.$Shape} SharedMemoryAccepted
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.SharedMemoryAccepted & fisherd.v1.SharedMemoryAccepted.$Shape;

            /**
             * Verifies a SharedMemoryAccepted message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a SharedMemoryAccepted message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns SharedMemoryAccepted
             */
            static fromObject(object: { [k: string]: any }): fisherd.v1.SharedMemoryAccepted;

            /**
             * Creates a plain object from a SharedMemoryAccepted message. Also converts values to other types if specified.
             * @param message SharedMemoryAccepted
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fisherd.v1.SharedMemoryAccepted, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this SharedMemoryAccepted to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace SharedMemoryAccepted {

            /** Properties of a SharedMemoryAccepted. */
            interface $Properties {

                /**
                 * Where in the reply file the daemon writes its replies (the first byte after the nonce, rounded up to
                 * a page: 4096).
                 */
                replyOffset?: (number|null);

                /**
                 * Replies of at least this many bytes (encoded) to a ref'd request travel by ref (65536); smaller ones
                 * are frames.
                 */
                replyThresholdBytes?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a SharedMemoryAccepted. */
            type $Shape = fisherd.v1.SharedMemoryAccepted.$Properties;
        }

        /**
         * Properties of a MessageRef.
         * @deprecated Use fisherd.v1.MessageRef.$Properties instead.
         */
        interface IMessageRef extends fisherd.v1.MessageRef.$Properties {
        }

        /**
         * "The bytes of one encoded message are in the shared file at [offset, offset + length)": as a
         * ClientMessage, in the client's request file; as a ServerMessage, in its reply file. The message inside
         * is handled exactly as if it had arrived as a frame (same decoding, validation, errors and
         * --max-frame-bytes limit: FRAME_TOO_LARGE, closing with 1009); it may not itself be a MessageRef or a
         * SharedMemoryOffer (UNEXPECTED_MESSAGE). A range beyond the end of the file is MALFORMED_FRAME naming
         * message_ref.offset or message_ref.length, answered with the outer message's request_id; the message
         * inside carries its own request_id (clients set both the same), which its replies echo.
         */
        class MessageRef {

            /**
             * Constructs a new MessageRef.
             * @param [properties] Properties to set
             */
            constructor(properties?: fisherd.v1.MessageRef.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** MessageRef offset. */
            offset: number;

            /** MessageRef length. */
            length: number;

            /**
             * Creates a new MessageRef instance using the specified properties.
             * @param [properties] Properties to set
             * @returns MessageRef instance
             */
            static create(properties: fisherd.v1.MessageRef.$Shape): fisherd.v1.MessageRef & fisherd.v1.MessageRef.$Shape;
            static create(properties?: fisherd.v1.MessageRef.$Properties): fisherd.v1.MessageRef;

            /**
             * Encodes the specified MessageRef message. Does not implicitly {@link fisherd.v1.MessageRef.verify|verify} messages.
             * @param message MessageRef message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fisherd.v1.MessageRef.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a MessageRef message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fisherd.v1.MessageRef & fisherd.v1.MessageRef.$Shape} MessageRef
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.MessageRef & fisherd.v1.MessageRef.$Shape;

            /**
             * Verifies a MessageRef message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a MessageRef message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns MessageRef
             */
            static fromObject(object: { [k: string]: any }): fisherd.v1.MessageRef;

            /**
             * Creates a plain object from a MessageRef message. Also converts values to other types if specified.
             * @param message MessageRef
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fisherd.v1.MessageRef, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this MessageRef to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace MessageRef {

            /** Properties of a MessageRef. */
            interface $Properties {

                /** MessageRef offset */
                offset?: (number|null);

                /** MessageRef length */
                length?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a MessageRef. */
            type $Shape = fisherd.v1.MessageRef.$Properties;
        }

        /**
         * Properties of a SessionConfig.
         * @deprecated Use fisherd.v1.SessionConfig.$Properties instead.
         */
        interface ISessionConfig extends fisherd.v1.SessionConfig.$Properties {
        }

        /**
         * Mirrors src/session/config.ts `SessionConfig` field by field; the daemon validates it there and
         * answers INVALID_CONFIG naming the field (e.g. "optimizer.damping must be ≥ 0", "blocks[1].structure.rank").
         */
        class SessionConfig {

            /**
             * Constructs a new SessionConfig.
             * @param [properties] Properties to set
             */
            constructor(properties?: fisherd.v1.SessionConfig.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** D, the number of parameters (>= 1). Required. */
            dim: number;

            /**
             * Named parameter blocks (e.g. one per layer) in parameter order; sizes sum to `dim`, names unique.
             * Empty means one block "params" of all D parameters with `structure`.
             */
            blocks: fisherd.v1.ParameterBlock.$Properties[];

            /** Structure of the estimates when `blocks` is empty (default diagonal). */
            structure?: (fisherd.v1.BlockStructure.$Properties|null);

            /** The update rule and its hyperparameters. Required. */
            optimizer?: (fisherd.v1.OptimizerConfig.$Properties|null);

            /** β ∈ [0, 1), the EMA decay of every running estimate, ḡ included (default 0: this batch only). */
            emaDecay?: (number|null);

            /** Where the Fisher's rows come from when it is tracked (default sampled labels). */
            fisherSource: fisherd.v1.FisherSource;

            /** W, the number of data-parallel workers contributing to each step (default 1). */
            workers: number;

            /** N, the size of the training set if known (0 = unknown); for diagnostics only. */
            datasetSize: (number|Long);

            /** Whether the daemon records this session's contributions and updates as a trace (default false). */
            record: boolean;

            /** Compute backend preference: "auto" (default), "reference", "openblas", "gpujs". */
            backend: string;

            /** Estimates to keep beyond those the optimizer needs (e.g. both Fishers, for the EF-vs-Fisher cosine). */
            track?: (fisherd.v1.TrackedEstimates.$Properties|null);

            /**
             * A human-readable name for the run, shown on the dashboard, in the daemon's logs and in
             * `fisherd trace inspect`: at most 128 characters, printable (no control characters), not only spaces.
             * Empty: the daemon names the session "<Hello.client_name> <start time, UTC, YYYY-MM-DD hh:mm:ss>"
             * (e.g. "train-logistic 2026-12-03 08:15:02") and echoes that name in SessionOpened.config.
             */
            name: string;

            /**
             * Storage precision of the estimates: "float32" (default on openblas and gpujs) or "float64" (openblas
             * with float64 storage; the reference backend is always float64). docs/math.md, "Precision".
             */
            precision: string;

            /**
             * Creates a new SessionConfig instance using the specified properties.
             * @param [properties] Properties to set
             * @returns SessionConfig instance
             */
            static create(properties: fisherd.v1.SessionConfig.$Shape): fisherd.v1.SessionConfig & fisherd.v1.SessionConfig.$Shape;
            static create(properties?: fisherd.v1.SessionConfig.$Properties): fisherd.v1.SessionConfig;

            /**
             * Encodes the specified SessionConfig message. Does not implicitly {@link fisherd.v1.SessionConfig.verify|verify} messages.
             * @param message SessionConfig message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fisherd.v1.SessionConfig.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a SessionConfig message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fisherd.v1.SessionConfig & fisherd.v1.SessionConfig.$Shape} SessionConfig
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.SessionConfig & fisherd.v1.SessionConfig.$Shape;

            /**
             * Verifies a SessionConfig message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a SessionConfig message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns SessionConfig
             */
            static fromObject(object: { [k: string]: any }): fisherd.v1.SessionConfig;

            /**
             * Creates a plain object from a SessionConfig message. Also converts values to other types if specified.
             * @param message SessionConfig
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fisherd.v1.SessionConfig, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this SessionConfig to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace SessionConfig {

            /** Properties of a SessionConfig. */
            interface $Properties {

                /** D, the number of parameters (>= 1). Required. */
                dim?: (number|null);

                /**
                 * Named parameter blocks (e.g. one per layer) in parameter order; sizes sum to `dim`, names unique.
                 * Empty means one block "params" of all D parameters with `structure`.
                 */
                blocks?: (fisherd.v1.ParameterBlock.$Properties[]|null);

                /** Structure of the estimates when `blocks` is empty (default diagonal). */
                structure?: (fisherd.v1.BlockStructure.$Properties|null);

                /** The update rule and its hyperparameters. Required. */
                optimizer?: (fisherd.v1.OptimizerConfig.$Properties|null);

                /** β ∈ [0, 1), the EMA decay of every running estimate, ḡ included (default 0: this batch only). */
                emaDecay?: (number|null);

                /** Where the Fisher's rows come from when it is tracked (default sampled labels). */
                fisherSource?: (fisherd.v1.FisherSource|null);

                /** W, the number of data-parallel workers contributing to each step (default 1). */
                workers?: (number|null);

                /** N, the size of the training set if known (0 = unknown); for diagnostics only. */
                datasetSize?: (number|Long|null);

                /** Whether the daemon records this session's contributions and updates as a trace (default false). */
                record?: (boolean|null);

                /** Compute backend preference: "auto" (default), "reference", "openblas", "gpujs". */
                backend?: (string|null);

                /** Estimates to keep beyond those the optimizer needs (e.g. both Fishers, for the EF-vs-Fisher cosine). */
                track?: (fisherd.v1.TrackedEstimates.$Properties|null);

                /**
                 * A human-readable name for the run, shown on the dashboard, in the daemon's logs and in
                 * `fisherd trace inspect`: at most 128 characters, printable (no control characters), not only spaces.
                 * Empty: the daemon names the session "<Hello.client_name> <start time, UTC, YYYY-MM-DD hh:mm:ss>"
                 * (e.g. "train-logistic 2026-12-03 08:15:02") and echoes that name in SessionOpened.config.
                 */
                name?: (string|null);

                /**
                 * Storage precision of the estimates: "float32" (default on openblas and gpujs) or "float64" (openblas
                 * with float64 storage; the reference backend is always float64). docs/math.md, "Precision".
                 */
                precision?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a SessionConfig. */
            type $Shape = {
              dim?: number|null;
              blocks?: fisherd.v1.ParameterBlock.$Shape[]|null;
              structure?: fisherd.v1.BlockStructure.$Shape|null;
              optimizer?: fisherd.v1.OptimizerConfig.$Shape|null;
              emaDecay?: number|null;
              fisherSource?: fisherd.v1.FisherSource|null;
              workers?: number|null;
              datasetSize?: number|Long|null;
              record?: boolean|null;
              backend?: string|null;
              track?: fisherd.v1.TrackedEstimates.$Shape|null;
              name?: string|null;
              precision?: string|null;
              $unknowns?: Uint8Array[];
            };
        }

        /** FisherSource enum. */
        enum FisherSource {

            /** treated as SAMPLED */
            FISHER_SOURCE_UNSPECIFIED = 0,

            /** Monte-Carlo F̂ from sampled_label_grads */
            FISHER_SOURCE_SAMPLED = 1,

            /** F = (1/b) Σ J_nᵀH_nJ_n from fisher_factor_rows */
            FISHER_SOURCE_EXACT = 2
        }

        /**
         * Properties of a ParameterBlock.
         * @deprecated Use fisherd.v1.ParameterBlock.$Properties instead.
         */
        interface IParameterBlock extends fisherd.v1.ParameterBlock.$Properties {
        }

        /** Represents a ParameterBlock. */
        class ParameterBlock {

            /**
             * Constructs a new ParameterBlock.
             * @param [properties] Properties to set
             */
            constructor(properties?: fisherd.v1.ParameterBlock.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Unique, non-empty name (e.g. "layer1.weight"). */
            name: string;

            /** Number of parameters in the block (>= 1). */
            size: number;

            /** ParameterBlock structure. */
            structure?: (fisherd.v1.BlockStructure.$Properties|null);

            /**
             * Creates a new ParameterBlock instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ParameterBlock instance
             */
            static create(properties: fisherd.v1.ParameterBlock.$Shape): fisherd.v1.ParameterBlock & fisherd.v1.ParameterBlock.$Shape;
            static create(properties?: fisherd.v1.ParameterBlock.$Properties): fisherd.v1.ParameterBlock;

            /**
             * Encodes the specified ParameterBlock message. Does not implicitly {@link fisherd.v1.ParameterBlock.verify|verify} messages.
             * @param message ParameterBlock message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fisherd.v1.ParameterBlock.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ParameterBlock message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fisherd.v1.ParameterBlock & fisherd.v1.ParameterBlock.$Shape} ParameterBlock
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.ParameterBlock & fisherd.v1.ParameterBlock.$Shape;

            /**
             * Verifies a ParameterBlock message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a ParameterBlock message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns ParameterBlock
             */
            static fromObject(object: { [k: string]: any }): fisherd.v1.ParameterBlock;

            /**
             * Creates a plain object from a ParameterBlock message. Also converts values to other types if specified.
             * @param message ParameterBlock
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fisherd.v1.ParameterBlock, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this ParameterBlock to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace ParameterBlock {

            /** Properties of a ParameterBlock. */
            interface $Properties {

                /** Unique, non-empty name (e.g. "layer1.weight"). */
                name?: (string|null);

                /** Number of parameters in the block (>= 1). */
                size?: (number|null);

                /** ParameterBlock structure */
                structure?: (fisherd.v1.BlockStructure.$Properties|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a ParameterBlock. */
            type $Shape = fisherd.v1.ParameterBlock.$Properties;
        }

        /**
         * Properties of a BlockStructure.
         * @deprecated Use fisherd.v1.BlockStructure.$Properties instead.
         */
        interface IBlockStructure extends fisherd.v1.BlockStructure.$Properties {
        }

        /** How a block's D_k×D_k estimate is stored and solved (math.md, "Structures"). */
        class BlockStructure {

            /**
             * Constructs a new BlockStructure.
             * @param [properties] Properties to set
             */
            constructor(properties?: fisherd.v1.BlockStructure.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** BlockStructure kind. */
            kind: fisherd.v1.BlockStructure.Kind;

            /** KIND_LOW_RANK only: the rank cap r (>= 1). */
            rank: number;

            /** KIND_KRONECKER only: the weight's rows (>= 1, at most 8192, the largest KIND_FULL block). */
            outputs: number;

            /** KIND_KRONECKER only: the weight's columns without the bias (>= 1; in' at most 8192). */
            inputs: number;

            /** KIND_KRONECKER only: whether the block holds the layer's bias after its weight. */
            bias: boolean;

            /** KIND_KRONECKER only: how λ enters the solve (default TIKHONOV). */
            damping: fisherd.v1.KroneckerDamping;

            /** KIND_KRONECKER only: EKFAC, rescaling in the Kronecker eigenbasis (default false; TIKHONOV only). */
            eigenvalueCorrected: boolean;

            /**
             * KIND_KRONECKER only: T_inv >= 1, the eigendecompositions are refreshed every this many factor updates
             * (default 1, i.e. 0 = unset = 1). The refresh due at a step uses that step's factors and its update
             * uses it; large factors are decomposed in a worker thread (the daemon's other sessions go on meanwhile).
             */
            refreshEvery: number;

            /**
             * Creates a new BlockStructure instance using the specified properties.
             * @param [properties] Properties to set
             * @returns BlockStructure instance
             */
            static create(properties: fisherd.v1.BlockStructure.$Shape): fisherd.v1.BlockStructure & fisherd.v1.BlockStructure.$Shape;
            static create(properties?: fisherd.v1.BlockStructure.$Properties): fisherd.v1.BlockStructure;

            /**
             * Encodes the specified BlockStructure message. Does not implicitly {@link fisherd.v1.BlockStructure.verify|verify} messages.
             * @param message BlockStructure message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fisherd.v1.BlockStructure.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a BlockStructure message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fisherd.v1.BlockStructure & fisherd.v1.BlockStructure.$Shape} BlockStructure
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.BlockStructure & fisherd.v1.BlockStructure.$Shape;

            /**
             * Verifies a BlockStructure message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a BlockStructure message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns BlockStructure
             */
            static fromObject(object: { [k: string]: any }): fisherd.v1.BlockStructure;

            /**
             * Creates a plain object from a BlockStructure message. Also converts values to other types if specified.
             * @param message BlockStructure
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fisherd.v1.BlockStructure, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this BlockStructure to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace BlockStructure {

            /** Properties of a BlockStructure. */
            interface $Properties {

                /** BlockStructure kind */
                kind?: (fisherd.v1.BlockStructure.Kind|null);

                /** KIND_LOW_RANK only: the rank cap r (>= 1). */
                rank?: (number|null);

                /** KIND_KRONECKER only: the weight's rows (>= 1, at most 8192, the largest KIND_FULL block). */
                outputs?: (number|null);

                /** KIND_KRONECKER only: the weight's columns without the bias (>= 1; in' at most 8192). */
                inputs?: (number|null);

                /** KIND_KRONECKER only: whether the block holds the layer's bias after its weight. */
                bias?: (boolean|null);

                /** KIND_KRONECKER only: how λ enters the solve (default TIKHONOV). */
                damping?: (fisherd.v1.KroneckerDamping|null);

                /** KIND_KRONECKER only: EKFAC, rescaling in the Kronecker eigenbasis (default false; TIKHONOV only). */
                eigenvalueCorrected?: (boolean|null);

                /**
                 * KIND_KRONECKER only: T_inv >= 1, the eigendecompositions are refreshed every this many factor updates
                 * (default 1, i.e. 0 = unset = 1). The refresh due at a step uses that step's factors and its update
                 * uses it; large factors are decomposed in a worker thread (the daemon's other sessions go on meanwhile).
                 */
                refreshEvery?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a BlockStructure. */
            type $Shape = fisherd.v1.BlockStructure.$Properties;

            /** Kind enum. */
            enum Kind {

                /** treated as KIND_DIAGONAL */
                KIND_UNSPECIFIED = 0,

                /** dense D_k², Cholesky solve (D_k <= 8192) */
                KIND_FULL = 1,

                /** D_k, elementwise solve */
                KIND_DIAGONAL = 2,

                /** r·D_k rows, Woodbury solve (needs damping > 0) */
                KIND_LOW_RANK = 3,

                /**
                 * One layer's weight (outputs × inputs, plus a bias column): Ḡ ⊗ Ā from Kronecker factors (K-FAC,
                 * math.md). D_k = outputs·in' (in' = inputs + 1 with bias). Fed by KroneckerStatistics only (rows are
                 * refused when the session tracks an estimate); no noise estimate (snr, va, track.noise refused).
                 */
                KIND_KRONECKER = 4
            }
        }

        /** KroneckerDamping enum. */
        enum KroneckerDamping {

            /** treated as TIKHONOV */
            KRONECKER_DAMPING_UNSPECIFIED = 0,

            /** (Ḡ⊗Ā + λI)⁻¹, exact through the eigendecompositions */
            KRONECKER_DAMPING_TIKHONOV = 1,

            /** ((Ḡ + √λ/π I) ⊗ (Ā + π√λ I))⁻¹ (Martens & Grosse 2015, §6.3) */
            KRONECKER_DAMPING_PI = 2
        }

        /**
         * Properties of an OptimizerConfig.
         * @deprecated Use fisherd.v1.OptimizerConfig.$Properties instead.
         */
        interface IOptimizerConfig extends fisherd.v1.OptimizerConfig.$Properties {
        }

        /** Mirrors src/optim/spec.ts `OptimizerSpec`. */
        class OptimizerConfig {

            /**
             * Constructs a new OptimizerConfig.
             * @param [properties] Properties to set
             */
            constructor(properties?: fisherd.v1.OptimizerConfig.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** OptimizerConfig name. */
            name: fisherd.v1.OptimizerConfig.Name;

            /** γ > 0, optionally scheduled. Required. */
            stepSize?: (fisherd.v1.Schedule.$Properties|null);

            /** λ >= 0 of the solves (ngd, efgd, va) and of the cosine diagnostic (default 1e-8). */
            damping?: (fisherd.v1.Schedule.$Properties|null);

            /** Heavy-ball momentum μ ∈ [0, 1) (default 0). */
            momentum?: (number|null);

            /** Nesterov momentum (default false; needs momentum > 0). */
            nesterov: boolean;

            /** Decoupled weight decay κ >= 0 (default 0); clients must then send StepContribution.params. */
            weightDecay?: (number|null);

            /** snr only: where S comes from (default noise). */
            snrVariance: fisherd.v1.OptimizerConfig.SnrVariance;

            /** snr with moments: M-SVAG's EMA decay β ∈ (0, 1) (default 0.9). */
            msvagDecay?: (number|null);

            /** va only: Sherman–Morrison per parameter block instead of globally (default false). */
            blockwise: boolean;

            /** adam only. */
            adam?: (fisherd.v1.OptimizerConfig.Adam.$Properties|null);

            /**
             * ngd and efgd only: Levenberg–Marquardt adaptation of the damping λ (docs/math.md, "Damping
             * adaptation"); when set, the adapted λ replaces the damping schedule. Absent: no adaptation.
             */
            dampingAdaptation?: (fisherd.v1.DampingAdaptation.$Properties|null);

            /**
             * Creates a new OptimizerConfig instance using the specified properties.
             * @param [properties] Properties to set
             * @returns OptimizerConfig instance
             */
            static create(properties: fisherd.v1.OptimizerConfig.$Shape): fisherd.v1.OptimizerConfig & fisherd.v1.OptimizerConfig.$Shape;
            static create(properties?: fisherd.v1.OptimizerConfig.$Properties): fisherd.v1.OptimizerConfig;

            /**
             * Encodes the specified OptimizerConfig message. Does not implicitly {@link fisherd.v1.OptimizerConfig.verify|verify} messages.
             * @param message OptimizerConfig message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fisherd.v1.OptimizerConfig.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an OptimizerConfig message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fisherd.v1.OptimizerConfig & fisherd.v1.OptimizerConfig.$Shape} OptimizerConfig
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.OptimizerConfig & fisherd.v1.OptimizerConfig.$Shape;

            /**
             * Verifies an OptimizerConfig message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates an OptimizerConfig message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns OptimizerConfig
             */
            static fromObject(object: { [k: string]: any }): fisherd.v1.OptimizerConfig;

            /**
             * Creates a plain object from an OptimizerConfig message. Also converts values to other types if specified.
             * @param message OptimizerConfig
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fisherd.v1.OptimizerConfig, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this OptimizerConfig to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace OptimizerConfig {

            /** Properties of an OptimizerConfig. */
            interface $Properties {

                /** OptimizerConfig name */
                name?: (fisherd.v1.OptimizerConfig.Name|null);

                /** γ > 0, optionally scheduled. Required. */
                stepSize?: (fisherd.v1.Schedule.$Properties|null);

                /** λ >= 0 of the solves (ngd, efgd, va) and of the cosine diagnostic (default 1e-8). */
                damping?: (fisherd.v1.Schedule.$Properties|null);

                /** Heavy-ball momentum μ ∈ [0, 1) (default 0). */
                momentum?: (number|null);

                /** Nesterov momentum (default false; needs momentum > 0). */
                nesterov?: (boolean|null);

                /** Decoupled weight decay κ >= 0 (default 0); clients must then send StepContribution.params. */
                weightDecay?: (number|null);

                /** snr only: where S comes from (default noise). */
                snrVariance?: (fisherd.v1.OptimizerConfig.SnrVariance|null);

                /** snr with moments: M-SVAG's EMA decay β ∈ (0, 1) (default 0.9). */
                msvagDecay?: (number|null);

                /** va only: Sherman–Morrison per parameter block instead of globally (default false). */
                blockwise?: (boolean|null);

                /** adam only. */
                adam?: (fisherd.v1.OptimizerConfig.Adam.$Properties|null);

                /**
                 * ngd and efgd only: Levenberg–Marquardt adaptation of the damping λ (docs/math.md, "Damping
                 * adaptation"); when set, the adapted λ replaces the damping schedule. Absent: no adaptation.
                 */
                dampingAdaptation?: (fisherd.v1.DampingAdaptation.$Properties|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of an OptimizerConfig. */
            type $Shape = {
              name?: fisherd.v1.OptimizerConfig.Name|null;
              stepSize?: fisherd.v1.Schedule.$Shape|null;
              damping?: fisherd.v1.Schedule.$Shape|null;
              momentum?: number|null;
              nesterov?: boolean|null;
              weightDecay?: number|null;
              snrVariance?: fisherd.v1.OptimizerConfig.SnrVariance|null;
              msvagDecay?: number|null;
              blockwise?: boolean|null;
              adam?: fisherd.v1.OptimizerConfig.Adam.$Shape|null;
              dampingAdaptation?: fisherd.v1.DampingAdaptation.$Shape|null;
              $unknowns?: Uint8Array[];
            };

            /** Name enum. */
            enum Name {

                /** rejected */
                NAME_UNSPECIFIED = 0,

                /** −γ ḡ */
                NAME_SGD = 1,

                /** −γ (F + λI)⁻¹ ḡ */
                NAME_NGD = 2,

                /** −γ (Ẽ + λI)⁻¹ ḡ */
                NAME_EFGD = 3,

                /** −γ D ḡ, D_ii = ḡ_i² / (ḡ_i² + S_ii) */
                NAME_SNR = 4,

                /** −γ (S + ḡḡᵀ)⁻¹ ḡḡᵀ ḡ (paper eq. 19) */
                NAME_VA = 5,

                /** Adam, the paper's reference point */
                NAME_ADAM = 6
            }

            /** SnrVariance enum. */
            enum SnrVariance {

                /** treated as NOISE */
                SNR_VARIANCE_UNSPECIFIED = 0,

                /** S from per-example gradients */
                SNR_VARIANCE_NOISE = 1,

                /** M-SVAG's own moment estimate (Balles & Hennig 2018) */
                SNR_VARIANCE_MOMENTS = 2
            }

            /**
             * Properties of an Adam.
             * @deprecated Use fisherd.v1.OptimizerConfig.Adam.$Properties instead.
             */
            interface IAdam extends fisherd.v1.OptimizerConfig.Adam.$Properties {
            }

            /** Represents an Adam. */
            class Adam {

                /**
                 * Constructs a new Adam.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: fisherd.v1.OptimizerConfig.Adam.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** β₁ ∈ [0, 1) (default 0.9) */
                b1?: (number|null);

                /** β₂ ∈ [0, 1) (default 0.999) */
                b2?: (number|null);

                /** ε > 0 (default 1e-8) */
                eps?: (number|null);

                /**
                 * Creates a new Adam instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Adam instance
                 */
                static create(properties: fisherd.v1.OptimizerConfig.Adam.$Shape): fisherd.v1.OptimizerConfig.Adam & fisherd.v1.OptimizerConfig.Adam.$Shape;
                static create(properties?: fisherd.v1.OptimizerConfig.Adam.$Properties): fisherd.v1.OptimizerConfig.Adam;

                /**
                 * Encodes the specified Adam message. Does not implicitly {@link fisherd.v1.OptimizerConfig.Adam.verify|verify} messages.
                 * @param message Adam message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: fisherd.v1.OptimizerConfig.Adam.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes an Adam message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {fisherd.v1.OptimizerConfig.Adam & fisherd.v1.OptimizerConfig.Adam.$Shape} Adam
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.OptimizerConfig.Adam & fisherd.v1.OptimizerConfig.Adam.$Shape;

                /**
                 * Verifies an Adam message.
                 * @param message Plain object to verify
                 * @returns `null` if valid, otherwise the reason why it is not
                 */
                static verify(message: { [k: string]: any }): (string|null);

                /**
                 * Creates an Adam message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns Adam
                 */
                static fromObject(object: { [k: string]: any }): fisherd.v1.OptimizerConfig.Adam;

                /**
                 * Creates a plain object from an Adam message. Also converts values to other types if specified.
                 * @param message Adam
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: fisherd.v1.OptimizerConfig.Adam, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this Adam to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };
            }

            namespace Adam {

                /** Properties of an Adam. */
                interface $Properties {

                    /** β₁ ∈ [0, 1) (default 0.9) */
                    b1?: (number|null);

                    /** β₂ ∈ [0, 1) (default 0.999) */
                    b2?: (number|null);

                    /** ε > 0 (default 1e-8) */
                    eps?: (number|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of an Adam. */
                type $Shape = fisherd.v1.OptimizerConfig.Adam.$Properties;
            }
        }

        /**
         * Properties of a DampingAdaptation.
         * @deprecated Use fisherd.v1.DampingAdaptation.$Properties instead.
         */
        interface IDampingAdaptation extends fisherd.v1.DampingAdaptation.$Properties {
        }

        /**
         * Every `every` steps: ρ = (L(θ+Δ) − L(θ)) / q(Δ), q(Δ) = ḡᵀΔ + ½Δᵀ(M + λI)Δ; ρ > 3/4: λ ← ωλ, ρ < 1/4:
         * λ ← λ/ω, ω = decay_factor^every; λ clipped to [min, max] (Martens & Grosse 2015 §6.5, as kfac-jax).
         */
        class DampingAdaptation {

            /**
             * Constructs a new DampingAdaptation.
             * @param [properties] Properties to set
             */
            constructor(properties?: fisherd.v1.DampingAdaptation.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** T ≥ 1, the adaptation interval in steps. */
            every: number;

            /** λ₀ ∈ [min, max] (default: the damping schedule's value at t = 0). */
            initial?: (number|null);

            /** λ_min > 0. */
            min: number;

            /** λ_max ≥ λ_min, finite. */
            max: number;

            /** d ∈ (0, 1), per-step decay (default 0.9, kfac-jax's). */
            decayFactor?: (number|null);

            /** Whether q includes ½λ‖Δ‖² (default true). */
            includeDampingInModel?: (boolean|null);

            /**
             * Creates a new DampingAdaptation instance using the specified properties.
             * @param [properties] Properties to set
             * @returns DampingAdaptation instance
             */
            static create(properties: fisherd.v1.DampingAdaptation.$Shape): fisherd.v1.DampingAdaptation & fisherd.v1.DampingAdaptation.$Shape;
            static create(properties?: fisherd.v1.DampingAdaptation.$Properties): fisherd.v1.DampingAdaptation;

            /**
             * Encodes the specified DampingAdaptation message. Does not implicitly {@link fisherd.v1.DampingAdaptation.verify|verify} messages.
             * @param message DampingAdaptation message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fisherd.v1.DampingAdaptation.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a DampingAdaptation message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fisherd.v1.DampingAdaptation & fisherd.v1.DampingAdaptation.$Shape} DampingAdaptation
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.DampingAdaptation & fisherd.v1.DampingAdaptation.$Shape;

            /**
             * Verifies a DampingAdaptation message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a DampingAdaptation message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns DampingAdaptation
             */
            static fromObject(object: { [k: string]: any }): fisherd.v1.DampingAdaptation;

            /**
             * Creates a plain object from a DampingAdaptation message. Also converts values to other types if specified.
             * @param message DampingAdaptation
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fisherd.v1.DampingAdaptation, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this DampingAdaptation to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace DampingAdaptation {

            /** Properties of a DampingAdaptation. */
            interface $Properties {

                /** T ≥ 1, the adaptation interval in steps. */
                every?: (number|null);

                /** λ₀ ∈ [min, max] (default: the damping schedule's value at t = 0). */
                initial?: (number|null);

                /** λ_min > 0. */
                min?: (number|null);

                /** λ_max ≥ λ_min, finite. */
                max?: (number|null);

                /** d ∈ (0, 1), per-step decay (default 0.9, kfac-jax's). */
                decayFactor?: (number|null);

                /** Whether q includes ½λ‖Δ‖² (default true). */
                includeDampingInModel?: (boolean|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a DampingAdaptation. */
            type $Shape = fisherd.v1.DampingAdaptation.$Properties;
        }

        /**
         * Properties of a Schedule.
         * @deprecated Use fisherd.v1.Schedule.$Properties instead.
         */
        interface ISchedule extends fisherd.v1.Schedule.$Properties {
        }

        /**
         * A scalar hyperparameter (step size γ_t, damping λ_t) as a function of the session's step index t;
         * mirrors src/optim/schedule.ts `ScheduleSpec` field by field (after optax's schedules).
         */
        class Schedule {

            /**
             * Constructs a new Schedule.
             * @param [properties] Properties to set
             */
            constructor(properties?: fisherd.v1.Schedule.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** value_t = constant. */
            constant?: (number|null);

            /** Schedule exponential. */
            exponential?: (fisherd.v1.ExponentialSchedule.$Properties|null);

            /** Schedule cosine. */
            cosine?: (fisherd.v1.CosineSchedule.$Properties|null);

            /** Schedule warmup. */
            warmup?: (fisherd.v1.WarmupSchedule.$Properties|null);

            /** Schedule piecewise. */
            piecewise?: (fisherd.v1.PiecewiseSchedule.$Properties|null);

            /** Schedule kind. */
            kind?: ("constant"|"exponential"|"cosine"|"warmup"|"piecewise");

            /**
             * Creates a new Schedule instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Schedule instance
             */
            static create(properties: fisherd.v1.Schedule.$Shape): fisherd.v1.Schedule & fisherd.v1.Schedule.$Shape;
            static create(properties?: fisherd.v1.Schedule.$Properties): fisherd.v1.Schedule;

            /**
             * Encodes the specified Schedule message. Does not implicitly {@link fisherd.v1.Schedule.verify|verify} messages.
             * @param message Schedule message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fisherd.v1.Schedule.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Schedule message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fisherd.v1.Schedule & fisherd.v1.Schedule.$Shape} Schedule
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.Schedule & fisherd.v1.Schedule.$Shape;

            /**
             * Verifies a Schedule message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a Schedule message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns Schedule
             */
            static fromObject(object: { [k: string]: any }): fisherd.v1.Schedule;

            /**
             * Creates a plain object from a Schedule message. Also converts values to other types if specified.
             * @param message Schedule
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fisherd.v1.Schedule, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Schedule to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace Schedule {

            /** Properties of a Schedule. */
            interface $Properties {

                /** value_t = constant. */
                constant?: (number|null);

                /** Schedule exponential */
                exponential?: (fisherd.v1.ExponentialSchedule.$Properties|null);

                /** Schedule cosine */
                cosine?: (fisherd.v1.CosineSchedule.$Properties|null);

                /** Schedule warmup */
                warmup?: (fisherd.v1.WarmupSchedule.$Properties|null);

                /** Schedule piecewise */
                piecewise?: (fisherd.v1.PiecewiseSchedule.$Properties|null);

                /** Schedule kind */
                kind?: ("constant"|"exponential"|"cosine"|"warmup"|"piecewise");

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Narrowed shape of a Schedule. */
            type $Shape = {
              constant?: number|null;
              exponential?: fisherd.v1.ExponentialSchedule.$Shape|null;
              cosine?: fisherd.v1.CosineSchedule.$Shape|null;
              warmup?: fisherd.v1.WarmupSchedule.$Shape|null;
              piecewise?: fisherd.v1.PiecewiseSchedule.$Shape|null;
              $unknowns?: Uint8Array[];
            } & (
              ({ kind?: undefined; constant?: null; exponential?: null; cosine?: null; warmup?: null; piecewise?: null }|{ kind?: "constant"; constant: number; exponential?: null; cosine?: null; warmup?: null; piecewise?: null }|{ kind?: "exponential"; constant?: null; exponential: fisherd.v1.ExponentialSchedule.$Shape; cosine?: null; warmup?: null; piecewise?: null }|{ kind?: "cosine"; constant?: null; exponential?: null; cosine: fisherd.v1.CosineSchedule.$Shape; warmup?: null; piecewise?: null }|{ kind?: "warmup"; constant?: null; exponential?: null; cosine?: null; warmup: fisherd.v1.WarmupSchedule.$Shape; piecewise?: null }|{ kind?: "piecewise"; constant?: null; exponential?: null; cosine?: null; warmup?: null; piecewise: fisherd.v1.PiecewiseSchedule.$Shape })
            );
        }

        /**
         * Properties of an ExponentialSchedule.
         * @deprecated Use fisherd.v1.ExponentialSchedule.$Properties instead.
         */
        interface IExponentialSchedule extends fisherd.v1.ExponentialSchedule.$Properties {
        }

        /**
         * value_t = init · decay_rate^p, p = (t − transition_begin)/transition_steps (floored when staircase),
         * for t >= transition_begin; init before. Clipped at end_value when set.
         */
        class ExponentialSchedule {

            /**
             * Constructs a new ExponentialSchedule.
             * @param [properties] Properties to set
             */
            constructor(properties?: fisherd.v1.ExponentialSchedule.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** ExponentialSchedule init. */
            init: number;

            /** Factor per transition_steps steps (> 0; < 1 decays). */
            decayRate: number;

            /** >= 1. */
            transitionSteps: number;

            /** Decay in discrete jumps (default false). */
            staircase: boolean;

            /** First step of the decay (default 0). */
            transitionBegin: number;

            /** Bound the value never passes (default none). */
            endValue?: (number|null);

            /**
             * Creates a new ExponentialSchedule instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ExponentialSchedule instance
             */
            static create(properties: fisherd.v1.ExponentialSchedule.$Shape): fisherd.v1.ExponentialSchedule & fisherd.v1.ExponentialSchedule.$Shape;
            static create(properties?: fisherd.v1.ExponentialSchedule.$Properties): fisherd.v1.ExponentialSchedule;

            /**
             * Encodes the specified ExponentialSchedule message. Does not implicitly {@link fisherd.v1.ExponentialSchedule.verify|verify} messages.
             * @param message ExponentialSchedule message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fisherd.v1.ExponentialSchedule.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an ExponentialSchedule message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fisherd.v1.ExponentialSchedule & fisherd.v1.ExponentialSchedule.$Shape} ExponentialSchedule
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.ExponentialSchedule & fisherd.v1.ExponentialSchedule.$Shape;

            /**
             * Verifies an ExponentialSchedule message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates an ExponentialSchedule message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns ExponentialSchedule
             */
            static fromObject(object: { [k: string]: any }): fisherd.v1.ExponentialSchedule;

            /**
             * Creates a plain object from an ExponentialSchedule message. Also converts values to other types if specified.
             * @param message ExponentialSchedule
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fisherd.v1.ExponentialSchedule, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this ExponentialSchedule to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace ExponentialSchedule {

            /** Properties of an ExponentialSchedule. */
            interface $Properties {

                /** ExponentialSchedule init */
                init?: (number|null);

                /** Factor per transition_steps steps (> 0; < 1 decays). */
                decayRate?: (number|null);

                /** >= 1. */
                transitionSteps?: (number|null);

                /** Decay in discrete jumps (default false). */
                staircase?: (boolean|null);

                /** First step of the decay (default 0). */
                transitionBegin?: (number|null);

                /** Bound the value never passes (default none). */
                endValue?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of an ExponentialSchedule. */
            type $Shape = fisherd.v1.ExponentialSchedule.$Properties;
        }

        /**
         * Properties of a CosineSchedule.
         * @deprecated Use fisherd.v1.CosineSchedule.$Properties instead.
         */
        interface ICosineSchedule extends fisherd.v1.CosineSchedule.$Properties {
        }

        /** value_t = init · ((1 − alpha)·½(1 + cos(π·min(t, decay_steps)/decay_steps)) + alpha). */
        class CosineSchedule {

            /**
             * Constructs a new CosineSchedule.
             * @param [properties] Properties to set
             */
            constructor(properties?: fisherd.v1.CosineSchedule.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** CosineSchedule init. */
            init: number;

            /** >= 1. */
            decaySteps: number;

            /** Final value as a fraction of init, in [0, 1] (default 0; must be > 0 for a step size). */
            alpha?: (number|null);

            /**
             * Creates a new CosineSchedule instance using the specified properties.
             * @param [properties] Properties to set
             * @returns CosineSchedule instance
             */
            static create(properties: fisherd.v1.CosineSchedule.$Shape): fisherd.v1.CosineSchedule & fisherd.v1.CosineSchedule.$Shape;
            static create(properties?: fisherd.v1.CosineSchedule.$Properties): fisherd.v1.CosineSchedule;

            /**
             * Encodes the specified CosineSchedule message. Does not implicitly {@link fisherd.v1.CosineSchedule.verify|verify} messages.
             * @param message CosineSchedule message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fisherd.v1.CosineSchedule.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a CosineSchedule message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fisherd.v1.CosineSchedule & fisherd.v1.CosineSchedule.$Shape} CosineSchedule
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.CosineSchedule & fisherd.v1.CosineSchedule.$Shape;

            /**
             * Verifies a CosineSchedule message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a CosineSchedule message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns CosineSchedule
             */
            static fromObject(object: { [k: string]: any }): fisherd.v1.CosineSchedule;

            /**
             * Creates a plain object from a CosineSchedule message. Also converts values to other types if specified.
             * @param message CosineSchedule
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fisherd.v1.CosineSchedule, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this CosineSchedule to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace CosineSchedule {

            /** Properties of a CosineSchedule. */
            interface $Properties {

                /** CosineSchedule init */
                init?: (number|null);

                /** >= 1. */
                decaySteps?: (number|null);

                /** Final value as a fraction of init, in [0, 1] (default 0; must be > 0 for a step size). */
                alpha?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a CosineSchedule. */
            type $Shape = fisherd.v1.CosineSchedule.$Properties;
        }

        /**
         * Properties of a WarmupSchedule.
         * @deprecated Use fisherd.v1.WarmupSchedule.$Properties instead.
         */
        interface IWarmupSchedule extends fisherd.v1.WarmupSchedule.$Properties {
        }

        /** Linear warm-up from `from` to then(0) over `steps` steps, then `then` shifted by `steps`. */
        class WarmupSchedule {

            /**
             * Constructs a new WarmupSchedule.
             * @param [properties] Properties to set
             */
            constructor(properties?: fisherd.v1.WarmupSchedule.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Value at t = 0 (default 0; must be > 0 for a step size). */
            from?: (number|null);

            /** >= 1. */
            steps: number;

            /** WarmupSchedule then. */
            then?: (fisherd.v1.Schedule.$Properties|null);

            /**
             * Creates a new WarmupSchedule instance using the specified properties.
             * @param [properties] Properties to set
             * @returns WarmupSchedule instance
             */
            static create(properties: fisherd.v1.WarmupSchedule.$Shape): fisherd.v1.WarmupSchedule & fisherd.v1.WarmupSchedule.$Shape;
            static create(properties?: fisherd.v1.WarmupSchedule.$Properties): fisherd.v1.WarmupSchedule;

            /**
             * Encodes the specified WarmupSchedule message. Does not implicitly {@link fisherd.v1.WarmupSchedule.verify|verify} messages.
             * @param message WarmupSchedule message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fisherd.v1.WarmupSchedule.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a WarmupSchedule message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fisherd.v1.WarmupSchedule & fisherd.v1.WarmupSchedule.$Shape} WarmupSchedule
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.WarmupSchedule & fisherd.v1.WarmupSchedule.$Shape;

            /**
             * Verifies a WarmupSchedule message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a WarmupSchedule message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns WarmupSchedule
             */
            static fromObject(object: { [k: string]: any }): fisherd.v1.WarmupSchedule;

            /**
             * Creates a plain object from a WarmupSchedule message. Also converts values to other types if specified.
             * @param message WarmupSchedule
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fisherd.v1.WarmupSchedule, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this WarmupSchedule to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace WarmupSchedule {

            /** Properties of a WarmupSchedule. */
            interface $Properties {

                /** Value at t = 0 (default 0; must be > 0 for a step size). */
                from?: (number|null);

                /** >= 1. */
                steps?: (number|null);

                /** WarmupSchedule then */
                then?: (fisherd.v1.Schedule.$Properties|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a WarmupSchedule. */
            type $Shape = {
              from?: number|null;
              steps?: number|null;
              then?: fisherd.v1.Schedule.$Shape|null;
              $unknowns?: Uint8Array[];
            };
        }

        /**
         * Properties of a PiecewiseSchedule.
         * @deprecated Use fisherd.v1.PiecewiseSchedule.$Properties instead.
         */
        interface IPiecewiseSchedule extends fisherd.v1.PiecewiseSchedule.$Properties {
        }

        /** value_t = init · Π { scale_k : boundary_k.step <= t }. */
        class PiecewiseSchedule {

            /**
             * Constructs a new PiecewiseSchedule.
             * @param [properties] Properties to set
             */
            constructor(properties?: fisherd.v1.PiecewiseSchedule.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** PiecewiseSchedule init. */
            init: number;

            /** Strictly increasing steps. */
            boundaries: fisherd.v1.PiecewiseSchedule.Boundary.$Properties[];

            /**
             * Creates a new PiecewiseSchedule instance using the specified properties.
             * @param [properties] Properties to set
             * @returns PiecewiseSchedule instance
             */
            static create(properties: fisherd.v1.PiecewiseSchedule.$Shape): fisherd.v1.PiecewiseSchedule & fisherd.v1.PiecewiseSchedule.$Shape;
            static create(properties?: fisherd.v1.PiecewiseSchedule.$Properties): fisherd.v1.PiecewiseSchedule;

            /**
             * Encodes the specified PiecewiseSchedule message. Does not implicitly {@link fisherd.v1.PiecewiseSchedule.verify|verify} messages.
             * @param message PiecewiseSchedule message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fisherd.v1.PiecewiseSchedule.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a PiecewiseSchedule message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fisherd.v1.PiecewiseSchedule & fisherd.v1.PiecewiseSchedule.$Shape} PiecewiseSchedule
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.PiecewiseSchedule & fisherd.v1.PiecewiseSchedule.$Shape;

            /**
             * Verifies a PiecewiseSchedule message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a PiecewiseSchedule message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns PiecewiseSchedule
             */
            static fromObject(object: { [k: string]: any }): fisherd.v1.PiecewiseSchedule;

            /**
             * Creates a plain object from a PiecewiseSchedule message. Also converts values to other types if specified.
             * @param message PiecewiseSchedule
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fisherd.v1.PiecewiseSchedule, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this PiecewiseSchedule to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace PiecewiseSchedule {

            /** Properties of a PiecewiseSchedule. */
            interface $Properties {

                /** PiecewiseSchedule init */
                init?: (number|null);

                /** Strictly increasing steps. */
                boundaries?: (fisherd.v1.PiecewiseSchedule.Boundary.$Properties[]|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a PiecewiseSchedule. */
            type $Shape = fisherd.v1.PiecewiseSchedule.$Properties;

            /**
             * Properties of a Boundary.
             * @deprecated Use fisherd.v1.PiecewiseSchedule.Boundary.$Properties instead.
             */
            interface IBoundary extends fisherd.v1.PiecewiseSchedule.Boundary.$Properties {
            }

            /** Represents a Boundary. */
            class Boundary {

                /**
                 * Constructs a new Boundary.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: fisherd.v1.PiecewiseSchedule.Boundary.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Boundary step. */
                step: number;

                /** Boundary scale. */
                scale: number;

                /**
                 * Creates a new Boundary instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Boundary instance
                 */
                static create(properties: fisherd.v1.PiecewiseSchedule.Boundary.$Shape): fisherd.v1.PiecewiseSchedule.Boundary & fisherd.v1.PiecewiseSchedule.Boundary.$Shape;
                static create(properties?: fisherd.v1.PiecewiseSchedule.Boundary.$Properties): fisherd.v1.PiecewiseSchedule.Boundary;

                /**
                 * Encodes the specified Boundary message. Does not implicitly {@link fisherd.v1.PiecewiseSchedule.Boundary.verify|verify} messages.
                 * @param message Boundary message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: fisherd.v1.PiecewiseSchedule.Boundary.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a Boundary message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {fisherd.v1.PiecewiseSchedule.Boundary & fisherd.v1.PiecewiseSchedule.Boundary.$Shape} Boundary
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.PiecewiseSchedule.Boundary & fisherd.v1.PiecewiseSchedule.Boundary.$Shape;

                /**
                 * Verifies a Boundary message.
                 * @param message Plain object to verify
                 * @returns `null` if valid, otherwise the reason why it is not
                 */
                static verify(message: { [k: string]: any }): (string|null);

                /**
                 * Creates a Boundary message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns Boundary
                 */
                static fromObject(object: { [k: string]: any }): fisherd.v1.PiecewiseSchedule.Boundary;

                /**
                 * Creates a plain object from a Boundary message. Also converts values to other types if specified.
                 * @param message Boundary
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: fisherd.v1.PiecewiseSchedule.Boundary, options?: $protobuf.IConversionOptions): { [k: string]: any };

                /**
                 * Converts this Boundary to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: any };
            }

            namespace Boundary {

                /** Properties of a Boundary. */
                interface $Properties {

                    /** Boundary step */
                    step?: (number|null);

                    /** Boundary scale */
                    scale?: (number|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a Boundary. */
                type $Shape = fisherd.v1.PiecewiseSchedule.Boundary.$Properties;
            }
        }

        /**
         * Properties of a TrackedEstimates.
         * @deprecated Use fisherd.v1.TrackedEstimates.$Properties instead.
         */
        interface ITrackedEstimates extends fisherd.v1.TrackedEstimates.$Properties {
        }

        /** Represents a TrackedEstimates. */
        class TrackedEstimates {

            /**
             * Constructs a new TrackedEstimates.
             * @param [properties] Properties to set
             */
            constructor(properties?: fisherd.v1.TrackedEstimates.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** TrackedEstimates empiricalFisher. */
            empiricalFisher: boolean;

            /** TrackedEstimates fisher. */
            fisher: boolean;

            /** TrackedEstimates noise. */
            noise: boolean;

            /**
             * Creates a new TrackedEstimates instance using the specified properties.
             * @param [properties] Properties to set
             * @returns TrackedEstimates instance
             */
            static create(properties: fisherd.v1.TrackedEstimates.$Shape): fisherd.v1.TrackedEstimates & fisherd.v1.TrackedEstimates.$Shape;
            static create(properties?: fisherd.v1.TrackedEstimates.$Properties): fisherd.v1.TrackedEstimates;

            /**
             * Encodes the specified TrackedEstimates message. Does not implicitly {@link fisherd.v1.TrackedEstimates.verify|verify} messages.
             * @param message TrackedEstimates message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fisherd.v1.TrackedEstimates.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a TrackedEstimates message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fisherd.v1.TrackedEstimates & fisherd.v1.TrackedEstimates.$Shape} TrackedEstimates
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.TrackedEstimates & fisherd.v1.TrackedEstimates.$Shape;

            /**
             * Verifies a TrackedEstimates message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a TrackedEstimates message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns TrackedEstimates
             */
            static fromObject(object: { [k: string]: any }): fisherd.v1.TrackedEstimates;

            /**
             * Creates a plain object from a TrackedEstimates message. Also converts values to other types if specified.
             * @param message TrackedEstimates
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fisherd.v1.TrackedEstimates, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this TrackedEstimates to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace TrackedEstimates {

            /** Properties of a TrackedEstimates. */
            interface $Properties {

                /** TrackedEstimates empiricalFisher */
                empiricalFisher?: (boolean|null);

                /** TrackedEstimates fisher */
                fisher?: (boolean|null);

                /** TrackedEstimates noise */
                noise?: (boolean|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a TrackedEstimates. */
            type $Shape = fisherd.v1.TrackedEstimates.$Properties;
        }

        /**
         * Properties of a ServerMessage.
         * @deprecated Use fisherd.v1.ServerMessage.$Properties instead.
         */
        interface IServerMessage extends fisherd.v1.ServerMessage.$Properties {
        }

        /** Represents a ServerMessage. */
        class ServerMessage {

            /**
             * Constructs a new ServerMessage.
             * @param [properties] Properties to set
             */
            constructor(properties?: fisherd.v1.ServerMessage.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /**
             * The request_id of the ClientMessage this answers (0 for unsolicited messages such as a
             * WORKER_TIMEOUT caused by another worker).
             */
            requestId: number;

            /** ServerMessage welcome. */
            welcome?: (fisherd.v1.Welcome.$Properties|null);

            /** ServerMessage sessionOpened. */
            sessionOpened?: (fisherd.v1.SessionOpened.$Properties|null);

            /** ServerMessage update. */
            update?: (fisherd.v1.Update.$Properties|null);

            /** ServerMessage error. */
            error?: (fisherd.v1.Error.$Properties|null);

            /** ServerMessage estimates. */
            estimates?: (fisherd.v1.Estimates.$Properties|null);

            /** ServerMessage sessionClosed. */
            sessionClosed?: (fisherd.v1.SessionClosed.$Properties|null);

            /** ServerMessage sharedMemoryAccepted. */
            sharedMemoryAccepted?: (fisherd.v1.SharedMemoryAccepted.$Properties|null);

            /** A reply in the client's reply file (see SharedMemoryOffer): read it before the next ref'd request. */
            messageRef?: (fisherd.v1.MessageRef.$Properties|null);

            /** ServerMessage kind. */
            kind?: ("welcome"|"sessionOpened"|"update"|"error"|"estimates"|"sessionClosed"|"sharedMemoryAccepted"|"messageRef");

            /**
             * Creates a new ServerMessage instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ServerMessage instance
             */
            static create(properties: fisherd.v1.ServerMessage.$Shape): fisherd.v1.ServerMessage & fisherd.v1.ServerMessage.$Shape;
            static create(properties?: fisherd.v1.ServerMessage.$Properties): fisherd.v1.ServerMessage;

            /**
             * Encodes the specified ServerMessage message. Does not implicitly {@link fisherd.v1.ServerMessage.verify|verify} messages.
             * @param message ServerMessage message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fisherd.v1.ServerMessage.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ServerMessage message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fisherd.v1.ServerMessage & fisherd.v1.ServerMessage.$Shape} ServerMessage
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.ServerMessage & fisherd.v1.ServerMessage.$Shape;

            /**
             * Verifies a ServerMessage message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a ServerMessage message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns ServerMessage
             */
            static fromObject(object: { [k: string]: any }): fisherd.v1.ServerMessage;

            /**
             * Creates a plain object from a ServerMessage message. Also converts values to other types if specified.
             * @param message ServerMessage
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fisherd.v1.ServerMessage, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this ServerMessage to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace ServerMessage {

            /** Properties of a ServerMessage. */
            interface $Properties {

                /**
                 * The request_id of the ClientMessage this answers (0 for unsolicited messages such as a
                 * WORKER_TIMEOUT caused by another worker).
                 */
                requestId?: (number|null);

                /** ServerMessage welcome */
                welcome?: (fisherd.v1.Welcome.$Properties|null);

                /** ServerMessage sessionOpened */
                sessionOpened?: (fisherd.v1.SessionOpened.$Properties|null);

                /** ServerMessage update */
                update?: (fisherd.v1.Update.$Properties|null);

                /** ServerMessage error */
                error?: (fisherd.v1.Error.$Properties|null);

                /** ServerMessage estimates */
                estimates?: (fisherd.v1.Estimates.$Properties|null);

                /** ServerMessage sessionClosed */
                sessionClosed?: (fisherd.v1.SessionClosed.$Properties|null);

                /** ServerMessage sharedMemoryAccepted */
                sharedMemoryAccepted?: (fisherd.v1.SharedMemoryAccepted.$Properties|null);

                /** A reply in the client's reply file (see SharedMemoryOffer): read it before the next ref'd request. */
                messageRef?: (fisherd.v1.MessageRef.$Properties|null);

                /** ServerMessage kind */
                kind?: ("welcome"|"sessionOpened"|"update"|"error"|"estimates"|"sessionClosed"|"sharedMemoryAccepted"|"messageRef");

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Narrowed shape of a ServerMessage. */
            type $Shape = {
              requestId?: number|null;
              welcome?: fisherd.v1.Welcome.$Shape|null;
              sessionOpened?: fisherd.v1.SessionOpened.$Shape|null;
              update?: fisherd.v1.Update.$Shape|null;
              error?: fisherd.v1.Error.$Shape|null;
              estimates?: fisherd.v1.Estimates.$Shape|null;
              sessionClosed?: fisherd.v1.SessionClosed.$Shape|null;
              sharedMemoryAccepted?: fisherd.v1.SharedMemoryAccepted.$Shape|null;
              messageRef?: fisherd.v1.MessageRef.$Shape|null;
              $unknowns?: Uint8Array[];
            } & (
              ({ kind?: undefined; welcome?: null; sessionOpened?: null; update?: null; error?: null; estimates?: null; sessionClosed?: null; sharedMemoryAccepted?: null; messageRef?: null }|{ kind?: "welcome"; welcome: fisherd.v1.Welcome.$Shape; sessionOpened?: null; update?: null; error?: null; estimates?: null; sessionClosed?: null; sharedMemoryAccepted?: null; messageRef?: null }|{ kind?: "sessionOpened"; welcome?: null; sessionOpened: fisherd.v1.SessionOpened.$Shape; update?: null; error?: null; estimates?: null; sessionClosed?: null; sharedMemoryAccepted?: null; messageRef?: null }|{ kind?: "update"; welcome?: null; sessionOpened?: null; update: fisherd.v1.Update.$Shape; error?: null; estimates?: null; sessionClosed?: null; sharedMemoryAccepted?: null; messageRef?: null }|{ kind?: "error"; welcome?: null; sessionOpened?: null; update?: null; error: fisherd.v1.Error.$Shape; estimates?: null; sessionClosed?: null; sharedMemoryAccepted?: null; messageRef?: null }|{ kind?: "estimates"; welcome?: null; sessionOpened?: null; update?: null; error?: null; estimates: fisherd.v1.Estimates.$Shape; sessionClosed?: null; sharedMemoryAccepted?: null; messageRef?: null }|{ kind?: "sessionClosed"; welcome?: null; sessionOpened?: null; update?: null; error?: null; estimates?: null; sessionClosed: fisherd.v1.SessionClosed.$Shape; sharedMemoryAccepted?: null; messageRef?: null }|{ kind?: "sharedMemoryAccepted"; welcome?: null; sessionOpened?: null; update?: null; error?: null; estimates?: null; sessionClosed?: null; sharedMemoryAccepted: fisherd.v1.SharedMemoryAccepted.$Shape; messageRef?: null }|{ kind?: "messageRef"; welcome?: null; sessionOpened?: null; update?: null; error?: null; estimates?: null; sessionClosed?: null; sharedMemoryAccepted?: null; messageRef: fisherd.v1.MessageRef.$Shape })
            );
        }

        /**
         * Properties of a Welcome.
         * @deprecated Use fisherd.v1.Welcome.$Properties instead.
         */
        interface IWelcome extends fisherd.v1.Welcome.$Properties {
        }

        /** Represents a Welcome. */
        class Welcome {

            /**
             * Constructs a new Welcome.
             * @param [properties] Properties to set
             */
            constructor(properties?: fisherd.v1.Welcome.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Welcome protocolVersion. */
            protocolVersion: number;

            /** fisherd's package version, e.g. "0.1.0". */
            serverVersion: string;

            /** The compute backend the daemon runs, e.g. "openblas 0.3.21 (pthread, 2 threads)". */
            backend: string;

            /**
             * The daemon's shared-memory directory (--shared-memory-dir, e.g. "/dev/shm"), where a co-located
             * client may create the files of a SharedMemoryOffer; empty when the daemon has shared memory off.
             */
            sharedMemoryDir: string;

            /**
             * Creates a new Welcome instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Welcome instance
             */
            static create(properties: fisherd.v1.Welcome.$Shape): fisherd.v1.Welcome & fisherd.v1.Welcome.$Shape;
            static create(properties?: fisherd.v1.Welcome.$Properties): fisherd.v1.Welcome;

            /**
             * Encodes the specified Welcome message. Does not implicitly {@link fisherd.v1.Welcome.verify|verify} messages.
             * @param message Welcome message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fisherd.v1.Welcome.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Welcome message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fisherd.v1.Welcome & fisherd.v1.Welcome.$Shape} Welcome
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.Welcome & fisherd.v1.Welcome.$Shape;

            /**
             * Verifies a Welcome message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a Welcome message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns Welcome
             */
            static fromObject(object: { [k: string]: any }): fisherd.v1.Welcome;

            /**
             * Creates a plain object from a Welcome message. Also converts values to other types if specified.
             * @param message Welcome
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fisherd.v1.Welcome, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Welcome to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace Welcome {

            /** Properties of a Welcome. */
            interface $Properties {

                /** Welcome protocolVersion */
                protocolVersion?: (number|null);

                /** fisherd's package version, e.g. "0.1.0". */
                serverVersion?: (string|null);

                /** The compute backend the daemon runs, e.g. "openblas 0.3.21 (pthread, 2 threads)". */
                backend?: (string|null);

                /**
                 * The daemon's shared-memory directory (--shared-memory-dir, e.g. "/dev/shm"), where a co-located
                 * client may create the files of a SharedMemoryOffer; empty when the daemon has shared memory off.
                 */
                sharedMemoryDir?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Welcome. */
            type $Shape = fisherd.v1.Welcome.$Properties;
        }

        /**
         * Properties of a SessionOpened.
         * @deprecated Use fisherd.v1.SessionOpened.$Properties instead.
         */
        interface ISessionOpened extends fisherd.v1.SessionOpened.$Properties {
        }

        /** Represents a SessionOpened. */
        class SessionOpened {

            /**
             * Constructs a new SessionOpened.
             * @param [properties] Properties to set
             */
            constructor(properties?: fisherd.v1.SessionOpened.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** SessionOpened sessionId. */
            sessionId: string;

            /**
             * The last step whose update the session has applied (0 for a new session); the next contribution
             * must carry step = resumed_step + 1. After a daemon restart this is the last checkpointed step.
             */
            resumedStep: number;

            /**
             * The session's configuration as the daemon runs it, every default it uses filled in: structure (for a
             * session without blocks), the optimizer's damping, momentum, nesterov and weight decay (and snr_variance,
             * msvag_decay, blockwise, adam's b1/b2/eps where the rule uses them), ema_decay, fisher_source, workers,
             * backend and the effective track (what the optimizer needs ∪ what was asked for).
             */
            config?: (fisherd.v1.SessionConfig.$Properties|null);

            /**
             * The update of `resumed_step` (kept in checkpoints too): lets a client that lost the connection after
             * sending step resumed_step, but before receiving its update, carry on.
             */
            lastUpdate?: (fisherd.v1.Update.$Properties|null);

            /**
             * Creates a new SessionOpened instance using the specified properties.
             * @param [properties] Properties to set
             * @returns SessionOpened instance
             */
            static create(properties: fisherd.v1.SessionOpened.$Shape): fisherd.v1.SessionOpened & fisherd.v1.SessionOpened.$Shape;
            static create(properties?: fisherd.v1.SessionOpened.$Properties): fisherd.v1.SessionOpened;

            /**
             * Encodes the specified SessionOpened message. Does not implicitly {@link fisherd.v1.SessionOpened.verify|verify} messages.
             * @param message SessionOpened message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fisherd.v1.SessionOpened.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a SessionOpened message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fisherd.v1.SessionOpened & fisherd.v1.SessionOpened.$Shape} SessionOpened
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.SessionOpened & fisherd.v1.SessionOpened.$Shape;

            /**
             * Verifies a SessionOpened message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a SessionOpened message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns SessionOpened
             */
            static fromObject(object: { [k: string]: any }): fisherd.v1.SessionOpened;

            /**
             * Creates a plain object from a SessionOpened message. Also converts values to other types if specified.
             * @param message SessionOpened
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fisherd.v1.SessionOpened, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this SessionOpened to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace SessionOpened {

            /** Properties of a SessionOpened. */
            interface $Properties {

                /** SessionOpened sessionId */
                sessionId?: (string|null);

                /**
                 * The last step whose update the session has applied (0 for a new session); the next contribution
                 * must carry step = resumed_step + 1. After a daemon restart this is the last checkpointed step.
                 */
                resumedStep?: (number|null);

                /**
                 * The session's configuration as the daemon runs it, every default it uses filled in: structure (for a
                 * session without blocks), the optimizer's damping, momentum, nesterov and weight decay (and snr_variance,
                 * msvag_decay, blockwise, adam's b1/b2/eps where the rule uses them), ema_decay, fisher_source, workers,
                 * backend and the effective track (what the optimizer needs ∪ what was asked for).
                 */
                config?: (fisherd.v1.SessionConfig.$Properties|null);

                /**
                 * The update of `resumed_step` (kept in checkpoints too): lets a client that lost the connection after
                 * sending step resumed_step, but before receiving its update, carry on.
                 */
                lastUpdate?: (fisherd.v1.Update.$Properties|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a SessionOpened. */
            type $Shape = {
              sessionId?: string|null;
              resumedStep?: number|null;
              config?: fisherd.v1.SessionConfig.$Shape|null;
              lastUpdate?: fisherd.v1.Update.$Shape|null;
              $unknowns?: Uint8Array[];
            };
        }

        /**
         * Properties of an Update.
         * @deprecated Use fisherd.v1.Update.$Properties instead.
         */
        interface IUpdate extends fisherd.v1.Update.$Properties {
        }

        /** Represents an Update. */
        class Update {

            /**
             * Constructs a new Update.
             * @param [properties] Properties to set
             */
            constructor(properties?: fisherd.v1.Update.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Update sessionId. */
            sessionId: string;

            /** Update step. */
            step: number;

            /** Δθ, D little-endian float32: the client applies θ ← θ + Δθ. */
            delta: Uint8Array;

            /** Update diagnostics. */
            diagnostics?: (fisherd.v1.Diagnostics.$Properties|null);

            /**
             * Creates a new Update instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Update instance
             */
            static create(properties: fisherd.v1.Update.$Shape): fisherd.v1.Update & fisherd.v1.Update.$Shape;
            static create(properties?: fisherd.v1.Update.$Properties): fisherd.v1.Update;

            /**
             * Encodes the specified Update message. Does not implicitly {@link fisherd.v1.Update.verify|verify} messages.
             * @param message Update message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fisherd.v1.Update.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an Update message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fisherd.v1.Update & fisherd.v1.Update.$Shape} Update
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.Update & fisherd.v1.Update.$Shape;

            /**
             * Verifies an Update message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates an Update message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns Update
             */
            static fromObject(object: { [k: string]: any }): fisherd.v1.Update;

            /**
             * Creates a plain object from an Update message. Also converts values to other types if specified.
             * @param message Update
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fisherd.v1.Update, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Update to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace Update {

            /** Properties of an Update. */
            interface $Properties {

                /** Update sessionId */
                sessionId?: (string|null);

                /** Update step */
                step?: (number|null);

                /** Δθ, D little-endian float32: the client applies θ ← θ + Δθ. */
                delta?: (Uint8Array|null);

                /** Update diagnostics */
                diagnostics?: (fisherd.v1.Diagnostics.$Properties|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of an Update. */
            type $Shape = fisherd.v1.Update.$Properties;
        }

        /**
         * Properties of a Diagnostics.
         * @deprecated Use fisherd.v1.Diagnostics.$Properties instead.
         */
        interface IDiagnostics extends fisherd.v1.Diagnostics.$Properties {
        }

        /** Represents a Diagnostics. */
        class Diagnostics {

            /**
             * Constructs a new Diagnostics.
             * @param [properties] Properties to set
             */
            constructor(properties?: fisherd.v1.Diagnostics.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Sample-weighted mean of the workers' losses, when they sent them. */
            loss?: (number|null);

            /** b, the number of examples in the merged minibatch. */
            batchSize: number;

            /** ‖Δθ‖₂. */
            updateNorm: number;

            /** Seconds the daemon spent computing this update. */
            computeSeconds: number;

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
             */
            values: { [k: string]: number };

            /**
             * Creates a new Diagnostics instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Diagnostics instance
             */
            static create(properties: fisherd.v1.Diagnostics.$Shape): fisherd.v1.Diagnostics & fisherd.v1.Diagnostics.$Shape;
            static create(properties?: fisherd.v1.Diagnostics.$Properties): fisherd.v1.Diagnostics;

            /**
             * Encodes the specified Diagnostics message. Does not implicitly {@link fisherd.v1.Diagnostics.verify|verify} messages.
             * @param message Diagnostics message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fisherd.v1.Diagnostics.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Diagnostics message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fisherd.v1.Diagnostics & fisherd.v1.Diagnostics.$Shape} Diagnostics
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.Diagnostics & fisherd.v1.Diagnostics.$Shape;

            /**
             * Verifies a Diagnostics message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a Diagnostics message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns Diagnostics
             */
            static fromObject(object: { [k: string]: any }): fisherd.v1.Diagnostics;

            /**
             * Creates a plain object from a Diagnostics message. Also converts values to other types if specified.
             * @param message Diagnostics
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fisherd.v1.Diagnostics, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Diagnostics to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace Diagnostics {

            /** Properties of a Diagnostics. */
            interface $Properties {

                /** Sample-weighted mean of the workers' losses, when they sent them. */
                loss?: (number|null);

                /** b, the number of examples in the merged minibatch. */
                batchSize?: (number|null);

                /** ‖Δθ‖₂. */
                updateNorm?: (number|null);

                /** Seconds the daemon spent computing this update. */
                computeSeconds?: (number|null);

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
                 */
                values?: ({ [k: string]: number }|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Diagnostics. */
            type $Shape = fisherd.v1.Diagnostics.$Properties;
        }

        /**
         * Properties of an Error.
         * @deprecated Use fisherd.v1.Error.$Properties instead.
         */
        interface IError extends fisherd.v1.Error.$Properties {
        }

        /** Represents an Error. */
        class Error {

            /**
             * Constructs a new Error.
             * @param [properties] Properties to set
             */
            constructor(properties?: fisherd.v1.Error.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Error code. */
            code: fisherd.v1.ErrorCode;

            /** What went wrong, for people; names the problem and what to do. */
            message: string;

            /** The input field at fault, e.g. "step.perExampleGrads", "config.optimizer.damping" (empty if none). */
            field: string;

            /** The step the error concerns, when there is one. */
            step?: (number|null);

            /**
             * Creates a new Error instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Error instance
             */
            static create(properties: fisherd.v1.Error.$Shape): fisherd.v1.Error & fisherd.v1.Error.$Shape;
            static create(properties?: fisherd.v1.Error.$Properties): fisherd.v1.Error;

            /**
             * Encodes the specified Error message. Does not implicitly {@link fisherd.v1.Error.verify|verify} messages.
             * @param message Error message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fisherd.v1.Error.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an Error message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fisherd.v1.Error & fisherd.v1.Error.$Shape} Error
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.Error & fisherd.v1.Error.$Shape;

            /**
             * Verifies an Error message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates an Error message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns Error
             */
            static fromObject(object: { [k: string]: any }): fisherd.v1.Error;

            /**
             * Creates a plain object from an Error message. Also converts values to other types if specified.
             * @param message Error
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fisherd.v1.Error, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Error to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace Error {

            /** Properties of an Error. */
            interface $Properties {

                /** Error code */
                code?: (fisherd.v1.ErrorCode|null);

                /** What went wrong, for people; names the problem and what to do. */
                message?: (string|null);

                /** The input field at fault, e.g. "step.perExampleGrads", "config.optimizer.damping" (empty if none). */
                field?: (string|null);

                /** The step the error concerns, when there is one. */
                step?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of an Error. */
            type $Shape = fisherd.v1.Error.$Properties;
        }

        /** Mirrors src/errors.ts ERROR_CODES one to one (a test keeps them in sync). */
        enum ErrorCode {

            /** ERROR_CODE_UNSPECIFIED value */
            ERROR_CODE_UNSPECIFIED = 0,

            /** ERROR_CODE_SHAPE_MISMATCH value */
            ERROR_CODE_SHAPE_MISMATCH = 1,

            /** ERROR_CODE_NON_FINITE value */
            ERROR_CODE_NON_FINITE = 2,

            /** ERROR_CODE_INVALID_CONFIG value */
            ERROR_CODE_INVALID_CONFIG = 3,

            /** ERROR_CODE_UNKNOWN_BLOCK value */
            ERROR_CODE_UNKNOWN_BLOCK = 4,

            /** ERROR_CODE_MISSING_INPUT value */
            ERROR_CODE_MISSING_INPUT = 5,

            /** ERROR_CODE_NOT_POSITIVE_DEFINITE value */
            ERROR_CODE_NOT_POSITIVE_DEFINITE = 6,

            /** ERROR_CODE_MALFORMED_FRAME value */
            ERROR_CODE_MALFORMED_FRAME = 7,

            /** ERROR_CODE_UNEXPECTED_MESSAGE value */
            ERROR_CODE_UNEXPECTED_MESSAGE = 8,

            /** ERROR_CODE_UNSUPPORTED_VERSION value */
            ERROR_CODE_UNSUPPORTED_VERSION = 9,

            /** ERROR_CODE_UNAUTHORIZED value */
            ERROR_CODE_UNAUTHORIZED = 10,

            /** ERROR_CODE_FRAME_TOO_LARGE value */
            ERROR_CODE_FRAME_TOO_LARGE = 11,

            /** ERROR_CODE_UNKNOWN_SESSION value */
            ERROR_CODE_UNKNOWN_SESSION = 12,

            /** ERROR_CODE_STEP_OUT_OF_ORDER value */
            ERROR_CODE_STEP_OUT_OF_ORDER = 13,

            /** ERROR_CODE_BAD_WORKER value */
            ERROR_CODE_BAD_WORKER = 14,

            /** ERROR_CODE_WORKER_TIMEOUT value */
            ERROR_CODE_WORKER_TIMEOUT = 15,

            /** ERROR_CODE_BACKPRESSURE value */
            ERROR_CODE_BACKPRESSURE = 16,

            /** ERROR_CODE_SHUTTING_DOWN value */
            ERROR_CODE_SHUTTING_DOWN = 17,

            /** ERROR_CODE_TRACE_CORRUPT value */
            ERROR_CODE_TRACE_CORRUPT = 18,

            /** ERROR_CODE_TRACE_VERSION value */
            ERROR_CODE_TRACE_VERSION = 19,

            /** ERROR_CODE_INTERNAL value */
            ERROR_CODE_INTERNAL = 20,

            /**
             * Recording the session's trace failed (disk full, I/O error): the session goes on, unrecorded; the
             * message names the step the trace ends before and the trace directory.
             */
            ERROR_CODE_RECORDING_FAILED = 21,

            /**
             * Writing the session's checkpoint failed (disk full, I/O error): the session goes on in memory, but a
             * restart would resume it from the older checkpoint on disk. `step` is the step that checkpoint holds
             * (0: none yet); the message says it too, and the step the failed write was for. Sent to every
             * connection attached to the session, unsolicited (request_id 0), at each failed attempt; the daemon
             * retries at the next steps and when the session closes.
             */
            ERROR_CODE_CHECKPOINT_FAILED = 22,

            /**
             * A SharedMemoryOffer the daemon cannot take: shared memory is off (--shared-memory off), or a file
             * name, the files or the nonce fail its checks (the message says which; `field` names the offer's
             * field). The connection goes on; the client sends its messages as frames.
             */
            ERROR_CODE_SHARED_MEMORY_UNAVAILABLE = 23
        }

        /**
         * Properties of an Estimates.
         * @deprecated Use fisherd.v1.Estimates.$Properties instead.
         */
        interface IEstimates extends fisherd.v1.Estimates.$Properties {
        }

        /** Represents an Estimates. */
        class Estimates {

            /**
             * Constructs a new Estimates.
             * @param [properties] Properties to set
             */
            constructor(properties?: fisherd.v1.Estimates.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Estimates sessionId. */
            sessionId: string;

            /** The last completed step these estimates include. */
            step: number;

            /** One entry per tracked estimate. */
            estimates: fisherd.v1.Estimate.$Properties[];

            /** The bias-corrected running mean gradient ḡ, little-endian float64, the requested range (only with include_diagonals). */
            meanGrad: Uint8Array;

            /** cos((Ẽ+λI)⁻¹ḡ, (F+λI)⁻¹ḡ) with the session's damping, when both Fishers are tracked. */
            cosineEfFisher?: (number|null);

            /** The first coordinate the diagonals and mean_grad hold (the request's diagonal_offset). */
            diagonalOffset: number;

            /**
             * With EstimatesRequest.kronecker_basis: that block's installed eigendecomposition in each tracked
             * Fisher (empirical, then sampled-label/exact), as its solves use it.
             */
            kroneckerBases: fisherd.v1.KroneckerBasis.$Properties[];

            /**
             * Creates a new Estimates instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Estimates instance
             */
            static create(properties: fisherd.v1.Estimates.$Shape): fisherd.v1.Estimates & fisherd.v1.Estimates.$Shape;
            static create(properties?: fisherd.v1.Estimates.$Properties): fisherd.v1.Estimates;

            /**
             * Encodes the specified Estimates message. Does not implicitly {@link fisherd.v1.Estimates.verify|verify} messages.
             * @param message Estimates message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fisherd.v1.Estimates.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an Estimates message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fisherd.v1.Estimates & fisherd.v1.Estimates.$Shape} Estimates
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.Estimates & fisherd.v1.Estimates.$Shape;

            /**
             * Verifies an Estimates message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates an Estimates message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns Estimates
             */
            static fromObject(object: { [k: string]: any }): fisherd.v1.Estimates;

            /**
             * Creates a plain object from an Estimates message. Also converts values to other types if specified.
             * @param message Estimates
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fisherd.v1.Estimates, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Estimates to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace Estimates {

            /** Properties of an Estimates. */
            interface $Properties {

                /** Estimates sessionId */
                sessionId?: (string|null);

                /** The last completed step these estimates include. */
                step?: (number|null);

                /** One entry per tracked estimate. */
                estimates?: (fisherd.v1.Estimate.$Properties[]|null);

                /** The bias-corrected running mean gradient ḡ, little-endian float64, the requested range (only with include_diagonals). */
                meanGrad?: (Uint8Array|null);

                /** cos((Ẽ+λI)⁻¹ḡ, (F+λI)⁻¹ḡ) with the session's damping, when both Fishers are tracked. */
                cosineEfFisher?: (number|null);

                /** The first coordinate the diagonals and mean_grad hold (the request's diagonal_offset). */
                diagonalOffset?: (number|null);

                /**
                 * With EstimatesRequest.kronecker_basis: that block's installed eigendecomposition in each tracked
                 * Fisher (empirical, then sampled-label/exact), as its solves use it.
                 */
                kroneckerBases?: (fisherd.v1.KroneckerBasis.$Properties[]|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of an Estimates. */
            type $Shape = fisherd.v1.Estimates.$Properties;
        }

        /**
         * Properties of a KroneckerBasis.
         * @deprecated Use fisherd.v1.KroneckerBasis.$Properties instead.
         */
        interface IKroneckerBasis extends fisherd.v1.KroneckerBasis.$Properties {
        }

        /**
         * A Kronecker block's installed eigendecompositions Ā = V_A diag(λ_A) V_Aᵀ, Ḡ = V_G diag(λ_G) V_Gᵀ of the
         * bias-corrected factors at the last refresh (docs/math.md, "Kronecker factors (K-FAC)").
         */
        class KroneckerBasis {

            /**
             * Constructs a new KroneckerBasis.
             * @param [properties] Properties to set
             */
            constructor(properties?: fisherd.v1.KroneckerBasis.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Whose blocks: KIND_EMPIRICAL_FISHER or KIND_FISHER. */
            kind: fisherd.v1.Estimate.Kind;

            /** KroneckerBasis block. */
            block: string;

            /**
             * The decomposition's version: the update diagnostic "layer.<block>.basisVersion", and what
             * KroneckerStatistics.basis_version names. 0: none installed yet (before the first factor update);
             * the vectors and values are then empty.
             */
            version: number;

            /** KroneckerBasis outputs. */
            outputs: number;

            /** in' = inputs + 1 with a bias. */
            inputOrder: number;

            /** Eigenvalues, descending, clamped at 0 (little-endian float64): λ_G (out) and λ_A (in'). */
            outputValues: Uint8Array;

            /** KroneckerBasis inputValues. */
            inputValues: Uint8Array;

            /**
             * Eigenvectors as rows, little-endian float32 (the rows of V_Gᵀ and V_Aᵀ): output_vectors[j·out + o] is
             * component o of the eigenvector of output_values[j], input_vectors[j·in' + i] likewise.
             */
            outputVectors: Uint8Array;

            /** KroneckerBasis inputVectors. */
            inputVectors: Uint8Array;

            /**
             * Creates a new KroneckerBasis instance using the specified properties.
             * @param [properties] Properties to set
             * @returns KroneckerBasis instance
             */
            static create(properties: fisherd.v1.KroneckerBasis.$Shape): fisherd.v1.KroneckerBasis & fisherd.v1.KroneckerBasis.$Shape;
            static create(properties?: fisherd.v1.KroneckerBasis.$Properties): fisherd.v1.KroneckerBasis;

            /**
             * Encodes the specified KroneckerBasis message. Does not implicitly {@link fisherd.v1.KroneckerBasis.verify|verify} messages.
             * @param message KroneckerBasis message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fisherd.v1.KroneckerBasis.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a KroneckerBasis message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fisherd.v1.KroneckerBasis & fisherd.v1.KroneckerBasis.$Shape} KroneckerBasis
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.KroneckerBasis & fisherd.v1.KroneckerBasis.$Shape;

            /**
             * Verifies a KroneckerBasis message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a KroneckerBasis message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns KroneckerBasis
             */
            static fromObject(object: { [k: string]: any }): fisherd.v1.KroneckerBasis;

            /**
             * Creates a plain object from a KroneckerBasis message. Also converts values to other types if specified.
             * @param message KroneckerBasis
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fisherd.v1.KroneckerBasis, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this KroneckerBasis to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace KroneckerBasis {

            /** Properties of a KroneckerBasis. */
            interface $Properties {

                /** Whose blocks: KIND_EMPIRICAL_FISHER or KIND_FISHER. */
                kind?: (fisherd.v1.Estimate.Kind|null);

                /** KroneckerBasis block */
                block?: (string|null);

                /**
                 * The decomposition's version: the update diagnostic "layer.<block>.basisVersion", and what
                 * KroneckerStatistics.basis_version names. 0: none installed yet (before the first factor update);
                 * the vectors and values are then empty.
                 */
                version?: (number|null);

                /** KroneckerBasis outputs */
                outputs?: (number|null);

                /** in' = inputs + 1 with a bias. */
                inputOrder?: (number|null);

                /** Eigenvalues, descending, clamped at 0 (little-endian float64): λ_G (out) and λ_A (in'). */
                outputValues?: (Uint8Array|null);

                /** KroneckerBasis inputValues */
                inputValues?: (Uint8Array|null);

                /**
                 * Eigenvectors as rows, little-endian float32 (the rows of V_Gᵀ and V_Aᵀ): output_vectors[j·out + o] is
                 * component o of the eigenvector of output_values[j], input_vectors[j·in' + i] likewise.
                 */
                outputVectors?: (Uint8Array|null);

                /** KroneckerBasis inputVectors */
                inputVectors?: (Uint8Array|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a KroneckerBasis. */
            type $Shape = fisherd.v1.KroneckerBasis.$Properties;
        }

        /**
         * Properties of an Estimate.
         * @deprecated Use fisherd.v1.Estimate.$Properties instead.
         */
        interface IEstimate extends fisherd.v1.Estimate.$Properties {
        }

        /** Represents an Estimate. */
        class Estimate {

            /**
             * Constructs a new Estimate.
             * @param [properties] Properties to set
             */
            constructor(properties?: fisherd.v1.Estimate.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Estimate kind. */
            kind: fisherd.v1.Estimate.Kind;

            /**
             * The bias-corrected diagonal over the requested range, little-endian float64 (only with include_diagonals). float64 so that
             * a resumed session can be compared bit for bit.
             */
            diagonal: Uint8Array;

            /** The largest eigenvalues, descending. */
            topEigenvalues: number[];

            /** The trace. */
            trace: number;

            /**
             * Creates a new Estimate instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Estimate instance
             */
            static create(properties: fisherd.v1.Estimate.$Shape): fisherd.v1.Estimate & fisherd.v1.Estimate.$Shape;
            static create(properties?: fisherd.v1.Estimate.$Properties): fisherd.v1.Estimate;

            /**
             * Encodes the specified Estimate message. Does not implicitly {@link fisherd.v1.Estimate.verify|verify} messages.
             * @param message Estimate message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fisherd.v1.Estimate.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an Estimate message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fisherd.v1.Estimate & fisherd.v1.Estimate.$Shape} Estimate
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.Estimate & fisherd.v1.Estimate.$Shape;

            /**
             * Verifies an Estimate message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates an Estimate message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns Estimate
             */
            static fromObject(object: { [k: string]: any }): fisherd.v1.Estimate;

            /**
             * Creates a plain object from an Estimate message. Also converts values to other types if specified.
             * @param message Estimate
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fisherd.v1.Estimate, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Estimate to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace Estimate {

            /** Properties of an Estimate. */
            interface $Properties {

                /** Estimate kind */
                kind?: (fisherd.v1.Estimate.Kind|null);

                /**
                 * The bias-corrected diagonal over the requested range, little-endian float64 (only with include_diagonals). float64 so that
                 * a resumed session can be compared bit for bit.
                 */
                diagonal?: (Uint8Array|null);

                /** The largest eigenvalues, descending. */
                topEigenvalues?: (number[]|null);

                /** The trace. */
                trace?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of an Estimate. */
            type $Shape = fisherd.v1.Estimate.$Properties;

            /** Kind enum. */
            enum Kind {

                /** KIND_UNSPECIFIED value */
                KIND_UNSPECIFIED = 0,

                /** Ẽ */
                KIND_EMPIRICAL_FISHER = 1,

                /** F (sampled labels or exact factors) */
                KIND_FISHER = 2,

                /** S = C/b */
                KIND_NOISE = 3
            }
        }

        /**
         * Properties of a SessionClosed.
         * @deprecated Use fisherd.v1.SessionClosed.$Properties instead.
         */
        interface ISessionClosed extends fisherd.v1.SessionClosed.$Properties {
        }

        /** Represents a SessionClosed. */
        class SessionClosed {

            /**
             * Constructs a new SessionClosed.
             * @param [properties] Properties to set
             */
            constructor(properties?: fisherd.v1.SessionClosed.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** SessionClosed sessionId. */
            sessionId: string;

            /**
             * The step the session's checkpoint on disk holds, i.e. where a resume after a restart continues
             * (0 when none is written yet). When this connection was the session's last, the daemon checkpoints
             * before answering, so this is the last completed step unless that checkpoint failed (the reply is
             * then preceded by an Error CHECKPOINT_FAILED carrying the same step). With `discard`: the last
             * completed step (nothing stays on disk).
             */
            step: number;

            /**
             * Creates a new SessionClosed instance using the specified properties.
             * @param [properties] Properties to set
             * @returns SessionClosed instance
             */
            static create(properties: fisherd.v1.SessionClosed.$Shape): fisherd.v1.SessionClosed & fisherd.v1.SessionClosed.$Shape;
            static create(properties?: fisherd.v1.SessionClosed.$Properties): fisherd.v1.SessionClosed;

            /**
             * Encodes the specified SessionClosed message. Does not implicitly {@link fisherd.v1.SessionClosed.verify|verify} messages.
             * @param message SessionClosed message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fisherd.v1.SessionClosed.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a SessionClosed message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fisherd.v1.SessionClosed & fisherd.v1.SessionClosed.$Shape} SessionClosed
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fisherd.v1.SessionClosed & fisherd.v1.SessionClosed.$Shape;

            /**
             * Verifies a SessionClosed message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a SessionClosed message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns SessionClosed
             */
            static fromObject(object: { [k: string]: any }): fisherd.v1.SessionClosed;

            /**
             * Creates a plain object from a SessionClosed message. Also converts values to other types if specified.
             * @param message SessionClosed
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fisherd.v1.SessionClosed, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this SessionClosed to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace SessionClosed {

            /** Properties of a SessionClosed. */
            interface $Properties {

                /** SessionClosed sessionId */
                sessionId?: (string|null);

                /**
                 * The step the session's checkpoint on disk holds, i.e. where a resume after a restart continues
                 * (0 when none is written yet). When this connection was the session's last, the daemon checkpoints
                 * before answering, so this is the last completed step unless that checkpoint failed (the reply is
                 * then preceded by an Error CHECKPOINT_FAILED carrying the same step). With `discard`: the last
                 * completed step (nothing stays on disk).
                 */
                step?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a SessionClosed. */
            type $Shape = fisherd.v1.SessionClosed.$Properties;
        }
    }
}
